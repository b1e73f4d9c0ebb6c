import type { Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { NetworkFeePlansTable, NetworkFeesTable } from '../db/schema.js';

export interface NetworkFeePlan {
  workspaceId: string;
  currency: string;
  setupFeeAmount: number;
  saleFeeBps: number;
  monthlyFeeAmount: number | null;
  startsOn: string;
  createdAt: string;
  updatedAt: string;
}

export interface NetworkFee {
  id: string;
  workspaceId: string;
  programId: string | null;
  conversionId: string | null;
  kind: NetworkFeesTable['kind'];
  period: string | null;
  baseAmount: number;
  feeBps: number | null;
  amount: number;
  currency: string;
  explanation: string;
  at: string;
}

export function toPlan(row: Selectable<NetworkFeePlansTable>): NetworkFeePlan {
  return {
    workspaceId: row.workspace_id,
    currency: row.currency,
    setupFeeAmount: row.setup_fee_amount,
    saleFeeBps: row.sale_fee_bps,
    monthlyFeeAmount: row.monthly_fee_amount,
    startsOn: row.starts_on,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toFee(row: Selectable<NetworkFeesTable>): NetworkFee {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    programId: row.program_id,
    conversionId: row.conversion_id,
    kind: row.kind,
    period: row.period,
    baseAmount: row.base_amount,
    feeBps: row.fee_bps,
    amount: row.amount,
    currency: row.currency,
    explanation: row.explanation,
    at: row.at,
  };
}

export async function findPlan(db: DbOrTx, workspaceId: string) {
  const row = await db
    .selectFrom('network_fee_plans')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row ? toPlan(row) : undefined;
}

export async function savePlan(db: DbOrTx, row: NetworkFeePlansTable): Promise<void> {
  const { workspace_id: _w, created_at: _c, ...changes } = row;
  await db
    .insertInto('network_fee_plans')
    .values(row)
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet(changes))
    .execute();
}

export async function plansWithMonthlyFee(db: DbOrTx) {
  const rows = await db.selectFrom('network_fee_plans').selectAll().where('monthly_fee_amount', '>', 0).execute();
  return rows.map(toPlan);
}

/** Writes a fee once: a second write with the same key changes nothing. Answers whether it was new. */
export async function insertFee(db: DbOrTx, row: NetworkFeesTable): Promise<boolean> {
  const done = await db
    .insertInto('network_fees')
    .values(row)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(done.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function feesOfConversion(db: DbOrTx, conversionId: string) {
  const rows = await db.selectFrom('network_fees').selectAll().where('conversion_id', '=', conversionId).execute();
  return rows.map(toFee);
}

export async function listFees(
  db: DbOrTx,
  workspaceId: string,
  opts: { from: string; to: string; limit: number; before?: string | undefined },
) {
  let q = db
    .selectFrom('network_fees')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('at', '>=', opts.from)
    .where('at', '<', opts.to)
    .orderBy('id', 'desc')
    .limit(opts.limit);
  if (opts.before) q = q.where('id', '<', opts.before);
  return (await q.execute()).map(toFee);
}

/** Fees per workspace, currency and kind in [from, to). */
export async function feeTotals(db: DbOrTx, opts: { from: string; to: string; workspaceId?: string | undefined }) {
  let q = db
    .selectFrom('network_fees')
    .select((eb) => [
      'workspace_id',
      'currency',
      'kind',
      eb.fn.countAll<number>().as('entries'),
      eb.fn.sum<number>('amount').as('amount'),
      eb.fn.sum<number>('base_amount').as('base'),
    ])
    .where('at', '>=', opts.from)
    .where('at', '<', opts.to)
    .groupBy(['workspace_id', 'currency', 'kind'])
    .orderBy('workspace_id')
    .orderBy('currency');
  if (opts.workspaceId) q = q.where('workspace_id', '=', opts.workspaceId);
  const rows = await q.execute();
  return rows.map((r) => ({
    workspaceId: r.workspace_id,
    currency: r.currency,
    kind: r.kind,
    entries: Number(r.entries),
    amount: Number(r.amount),
    base: Number(r.base),
  }));
}
