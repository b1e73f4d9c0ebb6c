import type { Kysely, Selectable } from 'kysely';
import type { CodeUseDaysTable, Database } from '../db/schema.js';
import { utcDay } from '../shared/days.js';
import { newId } from '../shared/ids.js';
import { DAY_MS } from '../shared/time.js';
import {
  addCodeUse,
  codeForAlert,
  codeUseDaysFromTo,
  creatorEmailsOf,
  firstCodeUseDay,
  fraudSettingsRow,
  insertCodeAlert,
  insertCodeUse,
  openAlertOfCode,
  visitorClicksAround,
} from './repository.js';
import {
  type DayCounts,
  DEFAULT_CLICK_SPAM_THRESHOLD,
  DEFAULT_COUPON_SITES,
  judgeCode,
  LEAK_RULES,
  onList,
  referrerHost,
} from './rules.js';

/**
 * What the fraud checks are told of a sale once it is attributed, inside the sale's own
 * transaction. The checks may read clicks, codes and their own history, and record what they
 * need (a code's uses) in the same transaction.
 */
export interface SaleFacts {
  workspaceId: string;
  programId: string;
  conversionId: string;
  orderId: string;
  occurredAt: string;
  creatorId: string;
  attribution: 'code' | 'click' | 'customer';
  /** The code that attributed the sale, or a code of the same creator entered at checkout. */
  codeId: string | null;
  /** The click that attributed the sale, or the click the order carried, as the sale read it. */
  click: SaleClick | null;
  /** The customer's id within the program (cus_…), when known. */
  customerId: string | null;
  /** The buyer's email, lowercased, when given. */
  customerEmail: string | null;
  /** True when the program had never seen this customer before this sale. */
  isNewCustomer: boolean;
  /** Where the buyer came from, when the platform told (a URL or host). */
  referrer: string | null;
  /** The sale's net amount in the program currency. */
  amount: number;
}

/** What the checks need of a sale's click. */
export interface SaleClick {
  linkId: string;
  visitorHash: string;
  at: string;
  creatorId: string;
  country: string;
}

/** A program's fraud settings, its own or the defaults. */
export interface FraudSettings {
  clickSpamThreshold: number;
  couponSiteDomains: string[];
}

export type HoldReason = 'self_referral' | 'click_spam' | 'coupon_site_referrer' | 'possible_leaked_code';

/** A reason to hold a commission for review, with a sentence a brand manager can act on. */
export interface Hold {
  reason: HoldReason;
  detail: string;
}

const dayOf = (d: Date) => utcDay(d.getTime());

/** A program's fraud settings, or the defaults when it has none. */
export async function fraudSettings(db: Kysely<Database>, programId: string): Promise<FraudSettings> {
  const row = await fraudSettingsRow(db, programId);
  return {
    clickSpamThreshold: row?.click_spam_threshold ?? DEFAULT_CLICK_SPAM_THRESHOLD,
    couponSiteDomains: row ? (JSON.parse(row.coupon_site_domains) as string[]) : [],
  };
}

/**
 * Writes the checks leave for the end of the sale's transaction: updates of rows that every
 * sale of a code shares, which on PostgreSQL stay locked from the update until the commit.
 */
export type LateWrites = (() => Promise<void>)[];

/**
 * The holds a sale's commissions get (none for a normal sale), in a handful of indexed lookups:
 * the creator's emails, the count of the winning click's visitor that day (the click itself and
 * the program's settings come from the caller, which has read them already), and the code's
 * daily rollup. A use of a code is recorded too, so that the code's own
 * baseline grows with every sale: at once when the sale may be a leak, otherwise through `late`.
 */
export async function checkSale(
  db: Kysely<Database>,
  facts: SaleFacts,
  now: Date,
  /** Updates of shared rows, which the caller runs last in the sale's transaction. */
  late: LateWrites,
  /** The program's fraud settings (`fraudSettings`), which the caller may keep between sales. */
  settings: FraudSettings,
): Promise<Hold[]> {
  const holds: Hold[] = [];

  if (facts.customerEmail) {
    const creator = await creatorEmailsOf(db, facts.creatorId);
    const buyer = facts.customerEmail.trim().toLowerCase();
    if (creator && [creator.creatorEmail, creator.userEmail].some((e) => e?.toLowerCase() === buyer)) {
      holds.push({ reason: 'self_referral', detail: `The buyer's email ${buyer} is the creator's own.` });
    }
  }

  const click = facts.click;
  if (click && click.creatorId === facts.creatorId) {
    const day = click.at.slice(0, 10);
    const before = utcDay(Date.parse(click.at) - DAY_MS);
    const count = await visitorClicksAround(db, { linkId: click.linkId, visitorHash: click.visitorHash, day, before });
    if (count > settings.clickSpamThreshold) {
      holds.push({
        reason: 'click_spam',
        detail: `The winning click's visitor clicked that link ${count} times within a day (more than ${settings.clickSpamThreshold}).`,
      });
    }
  }

  const host = referrerHost(facts.referrer);
  const couponSite = onList(host, [...DEFAULT_COUPON_SITES, ...settings.couponSiteDomains]);
  if (couponSite) {
    holds.push({ reason: 'coupon_site_referrer', detail: `The buyer came from ${host}, a coupon-sharing site.` });
  }

  if (facts.codeId) {
    const codeHold = await recordCodeUse(
      db,
      facts,
      now,
      {
        withClick: click !== null && click.creatorId === facts.creatorId,
        host,
        country: click?.country ?? null,
        couponSite,
      },
      late,
    );
    if (codeHold) holds.push(codeHold);
  }
  return holds;
}

async function recordCodeUse(
  db: Kysely<Database>,
  facts: SaleFacts,
  now: Date,
  use: { withClick: boolean; host: string | null; country: string | null; couponSite: boolean },
  late: LateWrites,
): Promise<Hold | undefined> {
  const codeId = facts.codeId as string;
  const at = new Date(facts.occurredAt);
  const day = dayOf(at);
  await insertCodeUse(db, {
    conversion_id: facts.conversionId,
    code_id: codeId,
    program_id: facts.programId,
    at: facts.occurredAt,
    day,
    with_click: use.withClick ? 1 : 0,
    referrer_host: use.host,
    country: use.country,
    new_customer: facts.isNewCustomer ? 1 : 0,
    coupon_site: use.couponSite ? 1 : 0,
    amount: facts.amount,
  });
  const counts = {
    uses: 1,
    no_click_uses: use.withClick ? 0 : 1,
    new_customer_uses: facts.isNewCustomer ? 1 : 0,
    coupon_site_uses: use.couponSite ? 1 : 0,
  };
  // The code's row for the day is one row that every sale with the code updates: on PostgreSQL
  // the update holds it locked until the sale's transaction ends, so sales with the same code
  // would wait for each other. It is written last (in `late`), unless this sale may be a leak.
  // Until then, the sale is judged on the stored counts with its own added.
  const addUse = () => addCodeUse(db, { codeId, day, ...counts });

  const open = await openAlertOfCode(db, codeId);
  if (open) {
    late.push(addUse);
    return { reason: 'possible_leaked_code', detail: `Held while alert ${open.id} is open: ${open.detail}` };
  }

  const from = utcDay(at.getTime() - LEAK_RULES.baselineDays * DAY_MS);
  const judgeOn = (rows: Selectable<CodeUseDaysTable>[], withThisSale: boolean) => {
    const toCounts = (r: (typeof rows)[number] | undefined): DayCounts => ({
      uses: Number(r?.uses ?? 0),
      noClick: Number(r?.no_click_uses ?? 0),
      newCustomers: Number(r?.new_customer_uses ?? 0),
      couponSite: Number(r?.coupon_site_uses ?? 0),
    });
    const baseline: DayCounts[] = [];
    for (let d = LEAK_RULES.baselineDays; d >= 1; d--) {
      const key = utcDay(at.getTime() - d * DAY_MS);
      baseline.push(toCounts(rows.find((r) => r.day === key)));
    }
    const today = toCounts(rows.find((r) => r.day === day));
    if (withThisSale) {
      today.uses += counts.uses;
      today.noClick += counts.no_click_uses;
      today.newCustomers += counts.new_customer_uses;
      today.couponSite += counts.coupon_site_uses;
    }
    return { today, baseline };
  };
  // A code's age only ever stops a verdict (too young to judge), so the code's first day and its
  // name are looked up only for a sale that would be flagged at any age: most sales need neither.
  const ahead = judgeOn(await codeUseDaysFromTo(db, codeId, from, day), true);
  if (!judgeCode(ahead.today, ahead.baseline, Number.POSITIVE_INFINITY, 'The code').leak) {
    late.push(addUse);
    return undefined;
  }
  // It may be a leak: the use is written now, and the verdict taken on the counts as stored.
  await addUse();
  const { today, baseline } = judgeOn(await codeUseDaysFromTo(db, codeId, from, day), false);
  if (!judgeCode(today, baseline, Number.POSITIVE_INFINITY, 'The code').leak) return undefined;
  const first = await firstCodeUseDay(db, codeId);
  const ageDays = first ? Math.floor((Date.parse(day) - Date.parse(first)) / DAY_MS) : 0;
  const code = await codeForAlert(db, codeId);
  const verdict = judgeCode(today, baseline, ageDays, code?.code ?? 'The code');
  if (!verdict.leak || !code) return undefined;
  const id = newId('codeAlert', now.getTime());
  await insertCodeAlert(db, {
    id,
    workspace_id: code.workspace_id,
    program_id: facts.programId,
    code_id: codeId,
    reason: verdict.reason,
    detail: verdict.detail,
    status: 'open',
    resolution: null,
    note: null,
    opened_at: now.toISOString(),
    resolved_at: null,
    resolved_by: null,
  });
  return { reason: 'possible_leaked_code', detail: `Alert ${id}: ${verdict.detail}` };
}
