/**
 * The SQL of the commission ledger (`commissions` and `commission_events`). Reads are for anyone;
 * the `write…` functions are the ledger's own (ledger.ts), and a test keeps it so: every change
 * of an entry goes through the ledger, which writes its event beside it.
 */
import type { Insertable, Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import { sql } from '../db/kysely.js';
import { prepared } from '../db/prepared.js';
import type { CommissionEventsTable, CommissionStatus, CommissionsTable } from '../db/schema.js';
import { insertRows } from '../db/statements.js';
import type { Rate } from '../programs/schemas.js';
import type { Commission } from './schemas.js';

export type CommissionRow = Selectable<CommissionsTable>;
export type CommissionEventRow = Selectable<CommissionEventsTable>;

/** Who may see commissions: a brand sees its workspace's, a creator only its own. */
export type CommissionViewer = { workspaceId: string } | { creatorId: string };

/** Entries with their order's id and attribution, as far as `viewer` may see. */
export function visibleEntries(db: DbOrTx, viewer: CommissionViewer) {
  const q = db
    .selectFrom('commissions as c')
    .innerJoin('conversions as v', 'v.id', 'c.conversion_id')
    .selectAll('c')
    .select(['v.external_id as order_id', 'v.attribution as attribution']);
  return 'workspaceId' in viewer
    ? q.where('c.workspace_id', '=', viewer.workspaceId)
    : q.where('c.creator_id', '=', viewer.creatorId);
}

export type CommissionViewRow = Awaited<ReturnType<ReturnType<typeof visibleEntries>['executeTakeFirstOrThrow']>>;

/** A ledger row (with its order's id and attribution) as the API shows it. */
export const toCommission = (r: CommissionViewRow): Commission => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  amount: r.amount,
  currency: r.currency,
  creatorId: r.creator_id,
  programId: r.program_id,
  conversionId: r.conversion_id,
  orderId: r.order_id,
  attribution: r.attribution,
  explanation: r.explanation,
  lineNo: r.line_no,
  baseAmount: r.base_amount,
  rate: r.rate ? (JSON.parse(r.rate) as Rate) : null,
  rateSource: r.rate_source as Commission['rateSource'],
  reversesId: r.reverses_id,
  refundId: r.refund_id,
  hold: r.hold_reason ? { reason: r.hold_reason, detail: r.hold_detail } : null,
  statusReason: r.status_reason,
  approveAfter: r.approve_after,
  payoutId: r.payout_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function findVisible(db: DbOrTx, viewer: CommissionViewer, id: string) {
  return visibleEntries(db, viewer).where('c.id', '=', id).executeTakeFirst();
}

export interface CommissionFilter {
  limit: number;
  before?: string | undefined;
  programId?: string | undefined;
  creatorId?: string | undefined;
  conversionId?: string | undefined;
  status?: CommissionStatus | undefined;
  held?: 'true' | 'false' | undefined;
}

/** A page of entries, newest first. */
export async function listVisible(db: DbOrTx, viewer: CommissionViewer, opts: CommissionFilter) {
  let q = visibleEntries(db, viewer);
  if (opts.before) q = q.where('c.id', '<', opts.before);
  if (opts.programId) q = q.where('c.program_id', '=', opts.programId);
  if (opts.creatorId) q = q.where('c.creator_id', '=', opts.creatorId);
  if (opts.conversionId) q = q.where('c.conversion_id', '=', opts.conversionId);
  if (opts.status) q = q.where('c.status', '=', opts.status);
  if (opts.held === 'true') q = q.where('c.hold_reason', 'is not', null);
  if (opts.held === 'false') q = q.where('c.hold_reason', 'is', null);
  return q.orderBy('c.id', 'desc').limit(opts.limit).execute();
}

export async function commissionVisible(db: DbOrTx, viewer: CommissionViewer, id: string): Promise<boolean> {
  const q = db.selectFrom('commissions').select('id').where('id', '=', id);
  const row = await ('workspaceId' in viewer
    ? q.where('workspace_id', '=', viewer.workspaceId)
    : q.where('creator_id', '=', viewer.creatorId)
  ).executeTakeFirst();
  return row !== undefined;
}

/**
 * Every ledger entry of one conversion, oldest first. The caller has checked the conversion is
 * the viewer's; the lookup goes by the conversion's own index, not through the workspace's.
 */
export async function commissionsOfConversion(db: DbOrTx, conversionId: string): Promise<Commission[]> {
  const rows = await db
    .selectFrom('commissions as c')
    .innerJoin('conversions as v', 'v.id', 'c.conversion_id')
    .selectAll('c')
    .select(['v.external_id as order_id', 'v.attribution as attribution'])
    .where('c.conversion_id', '=', conversionId)
    .execute();
  return rows.sort((a, b) => (a.id < b.id ? -1 : 1)).map(toCommission);
}

/** The rows of one conversion's entries, oldest first. */
export async function entriesOf(db: DbOrTx, conversionId: string, lock = false): Promise<CommissionRow[]> {
  const q = db.selectFrom('commissions').selectAll().where('conversion_id', '=', conversionId).orderBy('id');
  return (lock ? q.forUpdate() : q).execute();
}

/** The sum of some entries' amounts. */
export async function sumOf(db: DbOrTx, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db
    .selectFrom('commissions')
    .select('amount')
    .where('id', 'in', [...ids])
    .execute();
  return rows.reduce((s, r) => s + r.amount, 0);
}

/** Pending sale and lead entries whose holding period ended at `at` and that no flag holds. */
/** An entry approved early: its holding period ends now, so payouts take it from this moment. */
export async function endHoldingPeriod(db: DbOrTx, id: string, at: string): Promise<void> {
  await db.updateTable('commissions').set({ approve_after: at }).where('id', '=', id).execute();
}

export async function dueForApproval(db: DbOrTx, at: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('commissions')
    .select('id')
    .where('status', '=', 'pending')
    .where('approve_after', '<=', at)
    .where('hold_reason', 'is', null)
    .where('kind', 'in', ['sale', 'lead'])
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Pending entries of the sales a code was used in that a leaked-code flag holds. */
function heldForLeakedCode(db: DbOrTx, codeId: string) {
  return db
    .selectFrom('commissions')
    .innerJoin('code_uses', 'code_uses.conversion_id', 'commissions.conversion_id')
    .where('code_uses.code_id', '=', codeId)
    .where('commissions.hold_reason', '=', 'possible_leaked_code')
    .where('commissions.status', '=', 'pending');
}

export async function idsHeldForLeakedCode(db: DbOrTx, codeId: string): Promise<string[]> {
  return (await heldForLeakedCode(db, codeId).select('commissions.id').execute()).map((r) => r.id);
}

export async function countHeldForLeakedCode(db: DbOrTx, codeId: string): Promise<number> {
  const row = await heldForLeakedCode(db, codeId)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

type Totals = { status: CommissionStatus; total: number | string }[];

/**
 * What a creator's balance in a program is made of: sale and lead entries by status, reversals
 * of unpaid entries by the status of what they reverse, payable reversals by their own status,
 * and the sum held for review.
 */
export async function balanceParts(
  db: DbOrTx,
  creatorId: string,
  programId: string,
): Promise<{ own: Totals; netted: Totals; payable: Totals; held: number }> {
  const own = await db
    .selectFrom('commissions')
    .select(['status', (eb) => eb.fn.sum<number | string>('amount').as('total')])
    .where('creator_id', '=', creatorId)
    .where('program_id', '=', programId)
    .where('kind', '!=', 'reversal')
    .groupBy('status')
    .execute();
  const netted = await db
    .selectFrom('commissions as r')
    .innerJoin('commissions as o', 'o.id', 'r.reverses_id')
    .select(['o.status as status', (eb) => eb.fn.sum<number | string>('r.amount').as('total')])
    .where('r.creator_id', '=', creatorId)
    .where('r.program_id', '=', programId)
    .where('r.kind', '=', 'reversal')
    .where('r.status', '=', 'reversed')
    .groupBy('o.status')
    .execute();
  const payable = await db
    .selectFrom('commissions')
    .select(['status', (eb) => eb.fn.sum<number | string>('amount').as('total')])
    .where('creator_id', '=', creatorId)
    .where('program_id', '=', programId)
    .where('kind', '=', 'reversal')
    .where('status', 'in', ['approved', 'paid'])
    .groupBy('status')
    .execute();
  const held = await db
    .selectFrom('commissions')
    .select((eb) => eb.fn.sum<number | string>('amount').as('total'))
    .where('creator_id', '=', creatorId)
    .where('program_id', '=', programId)
    .where('status', '=', 'pending')
    .where('hold_reason', 'is not', null)
    .executeTakeFirst();
  return { own, netted, payable, held: Number(held?.total ?? 0) };
}

/** The history of one entry, oldest first. */
export async function eventsOf(db: DbOrTx, commissionId: string): Promise<CommissionEventRow[]> {
  return db
    .selectFrom('commission_events')
    .selectAll()
    .where('commission_id', '=', commissionId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

// ——— Writes: the ledger's alone (ledger.ts). ———

/** New entries in one statement (the plain insert of the hot path). */
export async function writeEntries(db: DbOrTx, rows: CommissionRow[]): Promise<void> {
  await insertRows(db, 'commissions', rows);
}

const addEarned = prepared<{ programId: string; creatorId: string; amount: number }, { earned: string }>(
  ['programId', 'creatorId', 'amount'],
  (db, v) =>
    db
      .insertInto('creator_earnings')
      .values({ program_id: v.programId, creator_id: v.creatorId, earned: v.amount })
      .onConflict((oc) =>
        oc
          .columns(['program_id', 'creator_id'])
          .doUpdateSet((eb) => ({ earned: eb('creator_earnings.earned', '+', eb.ref('excluded.earned')) })),
      )
      // As digits: a sum past 2^53 is not a number either database driver answers exactly.
      .returning(sql<string>`cast(earned as text)`.as('earned')),
);

/**
 * Adds to what a creator has earned in a program (the running sum of its positive entries) and
 * answers the new sum, exactly: a sum beyond 2^53 comes back as digits on both databases.
 */
export async function writeEarned(db: DbOrTx, programId: string, creatorId: string, amount: number): Promise<bigint> {
  const row = await addEarned.first(db, { programId, creatorId, amount });
  return BigInt(row?.earned ?? amount);
}

/** Events go in statements of at most this many rows: a payout's may be many thousands. */
const EVENTS_PER_INSERT = 500;

export async function writeEvents(db: DbOrTx, events: Insertable<CommissionEventsTable>[]): Promise<void> {
  for (let i = 0; i < events.length; i += EVENTS_PER_INSERT) {
    await db
      .insertInto('commission_events')
      .values(events.slice(i, i + EVENTS_PER_INSERT))
      .execute();
  }
}

type Change = Partial<Pick<CommissionRow, 'status' | 'status_reason' | 'hold_reason' | 'payout_id'>> & {
  updated_at: string;
};

/**
 * Changes entries that still stand where the caller saw them (`status`, and, when given, held or
 * not): answers the ids changed, so a concurrent change is noticed instead of overwritten.
 */
export async function writeChange(
  db: DbOrTx,
  ids: readonly string[],
  where: { status?: CommissionStatus | readonly CommissionStatus[]; held?: boolean },
  change: Change,
): Promise<string[]> {
  if (ids.length === 0) return [];
  let q = db
    .updateTable('commissions')
    .set(change)
    .where('id', 'in', [...ids]);
  if (typeof where.status === 'string') q = q.where('status', '=', where.status);
  else if (where.status) q = q.where('status', 'in', [...where.status]);
  if (where.held === false) q = q.where('hold_reason', 'is', null);
  if (where.held === true) q = q.where('hold_reason', 'is not', null);
  return (await q.returning('id').execute()).map((r) => r.id);
}
