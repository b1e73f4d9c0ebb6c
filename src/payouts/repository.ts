import type { Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import { sql } from '../db/kysely.js';
import type { PayoutEventsTable, PayoutRunsTable, PayoutSettingsTable, PayoutsTable } from '../db/schema.js';

export type PayoutRow = Selectable<PayoutsTable>;
export type RunRow = Selectable<PayoutRunsTable>;
export type SettingsRow = Selectable<PayoutSettingsTable>;
export type PayoutEventRow = Selectable<PayoutEventsTable>;

/** A creator's payable balance in a program: approved entries in no payout, netted. */
export interface PayableBalance {
  creatorId: string;
  amount: number;
  entryCount: number;
}

/**
 * What an entry adds to a payout: its own amount, plus the reversals that net it while it is
 * unpaid (a partial refund of an approved commission). A reversal of a paid commission is an
 * approved entry of its own, negative, and counts as itself.
 */
const netAmount = sql<number>`c.amount + coalesce((select sum(r.amount) from commissions r where r.reverses_id = c.id and r.status = 'reversed'), 0)`;

export async function payableBalances(db: DbOrTx, programId: string, cutoff: string): Promise<PayableBalance[]> {
  const rows = await db
    .selectFrom('commissions as c')
    .select([
      'c.creator_id as creatorId',
      (eb) => eb.fn.countAll<number | string>().as('entryCount'),
      sql<number | string>`sum(${netAmount})`.as('amount'),
    ])
    .where('c.program_id', '=', programId)
    .where('c.status', '=', 'approved')
    .where('c.payout_id', 'is', null)
    .where('c.approve_after', '<=', cutoff)
    .groupBy('c.creator_id')
    .orderBy('c.creator_id')
    .execute();
  return rows.map((r) => ({ creatorId: r.creatorId, amount: Number(r.amount), entryCount: Number(r.entryCount) }));
}

/** The payable entries of some creators, by creator: for a dry run's commission ids. */
export async function payableEntryIds(
  db: DbOrTx,
  programId: string,
  cutoff: string,
  creatorIds: string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < creatorIds.length; i += 500) {
    const rows = await db
      .selectFrom('commissions')
      .select(['id', 'creator_id'])
      .where('program_id', '=', programId)
      .where('status', '=', 'approved')
      .where('payout_id', 'is', null)
      .where('approve_after', '<=', cutoff)
      .where('creator_id', 'in', creatorIds.slice(i, i + 500))
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const list = out.get(r.creator_id) ?? [];
      list.push(r.id);
      out.set(r.creator_id, list);
    }
  }
  return out;
}

/** The profiles of every creator with a payable entry in the program, and their open flags. */
export async function profilesOfPayable(db: DbOrTx, programId: string) {
  const payable = db
    .selectFrom('commissions')
    .select('creator_id')
    .where('program_id', '=', programId)
    .where('status', '=', 'approved')
    .where('payout_id', 'is', null);
  const profiles = await db
    .selectFrom('payout_profiles as pp')
    .leftJoin('self_billing_consents as sb', 'sb.creator_id', 'pp.creator_id')
    .select([
      'pp.creator_id',
      'pp.method',
      'pp.currency',
      'pp.legal_name',
      'pp.address',
      'pp.country',
      'pp.vat_registered',
      'pp.vat_rate_bps',
      'pp.tax_form',
      'pp.tax_form_received_at',
      'pp.details_masked',
      'sb.given_at as self_billing_consent_at',
    ])
    .where('pp.creator_id', 'in', payable)
    .execute();
  const flagged = await db
    .selectFrom('payout_flags')
    .select(['creator_id', 'other_creator_id'])
    .where('status', '=', 'open')
    .where((eb) => eb.or([eb('creator_id', 'in', payable), eb('other_creator_id', 'in', payable)]))
    .execute();
  return { profiles, flagged: new Set(flagged.flatMap((f) => [f.creator_id, f.other_creator_id])) };
}

export async function findSettings(db: DbOrTx, programId: string): Promise<SettingsRow | undefined> {
  return db.selectFrom('payout_settings').selectAll().where('program_id', '=', programId).executeTakeFirst();
}

export async function upsertSettings(db: DbOrTx, row: SettingsRow): Promise<void> {
  const { program_id, ...rest } = row;
  await db
    .insertInto('payout_settings')
    .values(row)
    .onConflict((oc) => oc.column('program_id').doUpdateSet(rest))
    .execute();
}

/** Rows per multi-row insert: within both databases' limits on bound parameters. */
const CHUNK = 1000;

export async function insertRun(db: DbOrTx, row: RunRow): Promise<void> {
  await db.insertInto('payout_runs').values(row).execute();
}

export async function insertPayouts(
  db: DbOrTx,
  rows: PayoutRow[],
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  onProgress?.(0, rows.length);
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('payouts')
      .values(rows.slice(i, i + CHUNK))
      .execute();
    onProgress?.(Math.min(i + CHUNK, rows.length), rows.length);
  }
}

export async function insertPayoutEvents(db: DbOrTx, rows: PayoutEventRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('payout_events')
      .values(rows.slice(i, i + CHUNK))
      .execute();
  }
}

/** Keeps with each payout of the run the details its creator's profile holds now, still sealed. */
export async function copySealedDetails(db: DbOrTx, runId: string): Promise<void> {
  await sql`
    update payouts
       set details_sealed = (select f.details_sealed from payout_profiles f where f.creator_id = payouts.creator_id)
     where run_id = ${runId}`.execute(db);
}

/** Lists each entry the ledger put into the run's payouts, with what it adds. */
export async function insertItemsOfRun(db: DbOrTx, runId: string): Promise<void> {
  await sql`
    insert into payout_items (payout_id, commission_id, amount)
    select c.payout_id, c.id, ${netAmount}
      from payouts p
      join commissions c on c.payout_id = p.id
     where p.run_id = ${runId}`.execute(db);
}

/** A payout of the run whose entries do not add up to what was planned, if any. */
export async function mismatchedPayout(db: DbOrTx, runId: string): Promise<string | undefined> {
  const { rows } = await sql<{ id: string }>`
    select p.id
      from payouts p
      left join (
        select i.payout_id, count(*) as n, sum(i.amount) as s
          from payout_items i
          join payouts q on q.id = i.payout_id
         where q.run_id = ${runId}
         group by i.payout_id
      ) t on t.payout_id = p.id
     where p.run_id = ${runId}
       and (t.n is null or t.n <> p.entry_count or t.s <> p.amount)
     limit 1`.execute(db);
  return rows[0]?.id;
}

export async function findPayout(db: DbOrTx, id: string): Promise<PayoutRow | undefined> {
  return db.selectFrom('payouts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findRun(db: DbOrTx, id: string): Promise<RunRow | undefined> {
  return db.selectFrom('payout_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function commissionIdsOf(db: DbOrTx, payoutIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < payoutIds.length; i += 500) {
    const rows = await db
      .selectFrom('payout_items')
      .select(['payout_id', 'commission_id'])
      .where('payout_id', 'in', payoutIds.slice(i, i + 500))
      .orderBy('commission_id')
      .execute();
    for (const r of rows) {
      const list = out.get(r.payout_id) ?? [];
      list.push(r.commission_id);
      out.set(r.payout_id, list);
    }
  }
  return out;
}
