import type { Kysely, Selectable } from 'kysely';
import { sql } from '../db/kysely.js';
import { prepared } from '../db/prepared.js';
import type { CodeUseDaysTable, Database, FraudSettingsTable } from '../db/schema.js';
import { insertRows } from '../db/statements.js';
import { utcDay } from '../shared/days.js';
import { newId } from '../shared/ids.js';
import { DAY_MS } from '../shared/time.js';
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

// The lookups of every attributed sale, compiled once (see prepared.ts).
const settingsOf = prepared<{ programId: string }, Selectable<FraudSettingsTable>>(['programId'], (db, v) =>
  db.selectFrom('fraud_settings').selectAll().where('program_id', '=', v.programId),
);
const creatorEmails = prepared<{ creatorId: string }, { creatorEmail: string | null; userEmail: string | null }>(
  ['creatorId'],
  (db, v) =>
    db
      .selectFrom('creators')
      .leftJoin('users', 'users.id', 'creators.user_id')
      .select(['creators.email as creatorEmail', 'users.email as userEmail'])
      .where('creators.id', '=', v.creatorId),
);
const visitorClicks = prepared<
  { linkId: string; visitorHash: string; day: string; before: string },
  { clicks: number | string | null }
>(['linkId', 'visitorHash', 'day', 'before'], (db, v) =>
  db
    .selectFrom('click_visitors')
    .select((eb) => eb.fn.sum<number | string>('clicks').as('clicks'))
    .where('link_id', '=', v.linkId)
    .where('visitor_hash', '=', v.visitorHash)
    .where('day', 'in', [v.day, v.before]),
);
const addCodeUseDay = prepared<
  {
    codeId: string;
    day: string;
    uses: number;
    no_click_uses: number;
    new_customer_uses: number;
    coupon_site_uses: number;
  },
  never
>(['codeId', 'day', 'uses', 'no_click_uses', 'new_customer_uses', 'coupon_site_uses'], (db, v) =>
  db
    .insertInto('code_use_days')
    .values({
      code_id: v.codeId,
      day: v.day,
      uses: v.uses,
      no_click_uses: v.no_click_uses,
      new_customer_uses: v.new_customer_uses,
      coupon_site_uses: v.coupon_site_uses,
    })
    .onConflict((oc) =>
      oc.columns(['code_id', 'day']).doUpdateSet({
        uses: sql`code_use_days.uses + excluded.uses`,
        no_click_uses: sql`code_use_days.no_click_uses + excluded.no_click_uses`,
        new_customer_uses: sql`code_use_days.new_customer_uses + excluded.new_customer_uses`,
        coupon_site_uses: sql`code_use_days.coupon_site_uses + excluded.coupon_site_uses`,
      }),
    ),
);
const openAlertOf = prepared<{ codeId: string }, { id: string; detail: string }>(['codeId'], (db, v) =>
  db.selectFrom('code_alerts').select(['id', 'detail']).where('code_id', '=', v.codeId).where('status', '=', 'open'),
);
const codeUseDaysBetween = prepared<{ codeId: string; from: string; to: string }, Selectable<CodeUseDaysTable>>(
  ['codeId', 'from', 'to'],
  (db, v) =>
    db
      .selectFrom('code_use_days')
      .selectAll()
      .where('code_id', '=', v.codeId)
      .where('day', '>=', v.from)
      .where('day', '<=', v.to),
);

const dayOf = (d: Date) => utcDay(d.getTime());

/** A program's fraud settings, or the defaults when it has none. */
export async function fraudSettings(db: Kysely<Database>, programId: string): Promise<FraudSettings> {
  const row = await settingsOf.first(db, { programId });
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
    const creator = await creatorEmails.first(db, { creatorId: facts.creatorId });
    const buyer = facts.customerEmail.trim().toLowerCase();
    if (creator && [creator.creatorEmail, creator.userEmail].some((e) => e?.toLowerCase() === buyer)) {
      holds.push({ reason: 'self_referral', detail: `The buyer's email ${buyer} is the creator's own.` });
    }
  }

  const click = facts.click;
  if (click && click.creatorId === facts.creatorId) {
    const day = click.at.slice(0, 10);
    const before = utcDay(Date.parse(click.at) - DAY_MS);
    const visits = await visitorClicks.first(db, {
      linkId: click.linkId,
      visitorHash: click.visitorHash,
      day,
      before,
    });
    const count = Number(visits?.clicks ?? 0);
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
  await insertRows(db, 'code_uses', [
    {
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
    },
  ]);
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
  const addUse = () => addCodeUseDay.run(db, { codeId, day, ...counts }).then(() => undefined);

  const open = await openAlertOf.first(db, { codeId });
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
  const ahead = judgeOn(await codeUseDaysBetween.run(db, { codeId, from, to: day }), true);
  if (!judgeCode(ahead.today, ahead.baseline, Number.POSITIVE_INFINITY, 'The code').leak) {
    late.push(addUse);
    return undefined;
  }
  // It may be a leak: the use is written now, and the verdict taken on the counts as stored.
  await addUse();
  const { today, baseline } = judgeOn(await codeUseDaysBetween.run(db, { codeId, from, to: day }), false);
  if (!judgeCode(today, baseline, Number.POSITIVE_INFINITY, 'The code').leak) return undefined;
  const first = await db
    .selectFrom('code_use_days')
    .select('day')
    .where('code_id', '=', codeId)
    .orderBy('day')
    .limit(1)
    .executeTakeFirst();
  const ageDays = first ? Math.floor((Date.parse(day) - Date.parse(first.day)) / DAY_MS) : 0;
  const code = await db
    .selectFrom('codes')
    .select(['code', 'workspace_id'])
    .where('id', '=', codeId)
    .executeTakeFirst();
  const verdict = judgeCode(today, baseline, ageDays, code?.code ?? 'The code');
  if (!verdict.leak || !code) return undefined;
  const id = newId('codeAlert', now.getTime());
  await db
    .insertInto('code_alerts')
    .values({
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
    })
    .execute();
  return { reason: 'possible_leaked_code', detail: `Alert ${id}: ${verdict.detail}` };
}
