/**
 * A brand's statement for one month: per program, the sales recorded (attributed or not), the
 * commissions earned and reversed and the payouts paid; every payout made, paid or failed that
 * month; and the network fees charged to the brand.
 */
import type { Db } from '../db/database.js';
import { sql } from '../db/kysely.js';
import { notFound } from '../shared/errors.js';
import { monthRange } from './month.js';

export interface ProgramMonth {
  programId: string;
  programName: string;
  currency: string;
  sales: number;
  salesAmount: number;
  attributedSales: number;
  attributedAmount: number;
  commissionsEarned: number;
  commissionsReversed: number;
  /** Paid out this month: payouts marked paid in the month (less those that failed after). */
  payoutsPaid: number;
  payoutsPaidAmount: number;
}

/** A payout that was made, paid or failed in the month, with its status now. */
export interface StatementPayout {
  id: string;
  programId: string;
  creatorId: string;
  creatorName: string;
  /** The money sent: the commissions plus any VAT the creator's invoice adds on top. */
  amount: number;
  /** What the payout's ledger entries add up to. */
  commissionAmount: number;
  /** VAT on top of the commissions (0 unless the creator's invoice adds VAT). */
  vatAmount: number;
  currency: string;
  method: string;
  status: 'pending' | 'processing' | 'paid' | 'failed';
  createdAt: string;
  paidAt: string | null;
  failedAt: string | null;
  reference: string | null;
  failureReason: string | null;
}

/** The payouts of a month: made, paid or failed in it (a SQL filter over the payouts table). */
export function payoutsOfMonth(db: Db, start: string, end: string) {
  return db
    .selectFrom('payouts as po')
    .innerJoin('creators as cr', 'cr.id', 'po.creator_id')
    .select([
      'po.id',
      'po.program_id as programId',
      'po.creator_id as creatorId',
      'cr.name as creatorName',
      sql<number>`po.amount + po.vat_amount`.as('amount'),
      'po.amount as commissionAmount',
      'po.vat_amount as vatAmount',
      'po.currency',
      'po.method',
      'po.status',
      'po.created_at as createdAt',
      'po.paid_at as paidAt',
      'po.failed_at as failedAt',
      'po.reference',
      'po.failure_reason as failureReason',
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb('po.created_at', '>=', start), eb('po.created_at', '<', end)]),
        eb.and([eb('po.paid_at', '>=', start), eb('po.paid_at', '<', end)]),
        eb.and([eb('po.failed_at', '>=', start), eb('po.failed_at', '<', end)]),
      ]),
    )
    .orderBy('po.created_at')
    .orderBy('po.id');
}

export function toStatementPayout(r: StatementPayout): StatementPayout {
  return {
    ...r,
    amount: Number(r.amount),
    commissionAmount: Number(r.commissionAmount),
    vatAmount: Number(r.vatAmount),
  };
}

export interface BrandStatement {
  kind: 'brand';
  month: string;
  workspace: { id: string; name: string };
  programs: ProgramMonth[];
  networkFees: {
    id: string;
    at: string;
    kind: 'setup' | 'monthly' | 'sale' | 'reversal';
    amount: number;
    currency: string;
    explanation: string;
  }[];
  networkFeeTotals: { currency: string; amount: number }[];
  payouts: StatementPayout[];
  /** Per currency: paid out in the month (paid in it and not failed since), and failed in it. */
  payoutTotals: { currency: string; paid: number; failed: number }[];
}

export async function brandStatement(db: Db, q: { workspaceId: string; month: string }): Promise<BrandStatement> {
  const { start, end } = monthRange(q.month);
  const workspace = await db
    .selectFrom('workspaces')
    .select(['id', 'name'])
    .where('id', '=', q.workspaceId)
    .executeTakeFirst();
  if (!workspace) throw notFound('Workspace');
  const programs = await db
    .selectFrom('programs')
    .select(['id', 'name', 'currency'])
    .where('workspace_id', '=', q.workspaceId)
    .orderBy('id')
    .execute();
  const rows = new Map<string, ProgramMonth>(
    programs.map((p) => [
      p.id,
      {
        programId: p.id,
        programName: p.name,
        currency: p.currency,
        sales: 0,
        salesAmount: 0,
        attributedSales: 0,
        attributedAmount: 0,
        commissionsEarned: 0,
        commissionsReversed: 0,
        payoutsPaid: 0,
        payoutsPaidAmount: 0,
      },
    ]),
  );

  const sales = await db
    .selectFrom('conversions')
    .select((eb) => [
      'program_id',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('amount').as('amount'),
      eb.fn.count<number>('creator_id').as('attributed'),
      eb.fn
        .sum<number>(eb.case().when('creator_id', 'is not', null).then(eb.ref('amount')).else(0).end())
        .as('attributed_amount'),
    ])
    .where('workspace_id', '=', q.workspaceId)
    .where('kind', '=', 'sale')
    .where('occurred_at', '>=', start)
    .where('occurred_at', '<', end)
    .groupBy('program_id')
    .execute();
  for (const s of sales) {
    const row = rows.get(s.program_id);
    if (!row) continue;
    row.sales = Number(s.n);
    row.salesAmount = Number(s.amount ?? 0);
    row.attributedSales = Number(s.attributed);
    row.attributedAmount = Number(s.attributed_amount ?? 0);
  }

  const commissions = await db
    .selectFrom('commissions')
    .select((eb) => ['program_id', 'kind', eb.fn.sum<number>('amount').as('amount')])
    .where('workspace_id', '=', q.workspaceId)
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .groupBy(['program_id', 'kind'])
    .execute();
  for (const c of commissions) {
    const row = rows.get(c.program_id);
    if (!row) continue;
    if (c.kind === 'reversal') row.commissionsReversed += Number(c.amount ?? 0);
    else row.commissionsEarned += Number(c.amount ?? 0);
  }

  const fees = await db
    .selectFrom('network_fees')
    .select(['id', 'at', 'kind', 'amount', 'currency', 'explanation'])
    .where('workspace_id', '=', q.workspaceId)
    .where('at', '>=', start)
    .where('at', '<', end)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const feeTotals = new Map<string, number>();
  for (const f of fees) feeTotals.set(f.currency, (feeTotals.get(f.currency) ?? 0) + f.amount);

  const payouts = (await payoutsOfMonth(db, start, end).where('po.workspace_id', '=', q.workspaceId).execute()).map(
    toStatementPayout,
  );
  const payoutTotals = new Map<string, { currency: string; paid: number; failed: number }>();
  const paidInMonth = (p: StatementPayout) =>
    p.status === 'paid' && p.paidAt !== null && p.paidAt >= start && p.paidAt < end;
  for (const p of payouts) {
    const t = payoutTotals.get(p.currency) ?? { currency: p.currency, paid: 0, failed: 0 };
    if (paidInMonth(p)) {
      t.paid += p.amount;
      const row = rows.get(p.programId);
      if (row) {
        row.payoutsPaid += 1;
        row.payoutsPaidAmount += p.amount;
      }
    }
    if (p.status === 'failed' && p.failedAt !== null && p.failedAt >= start && p.failedAt < end) t.failed += p.amount;
    payoutTotals.set(p.currency, t);
  }

  return {
    kind: 'brand',
    month: q.month,
    workspace,
    programs: [...rows.values()],
    networkFees: fees,
    networkFeeTotals: [...feeTotals].map(([currency, amount]) => ({ currency, amount })),
    payouts,
    payoutTotals: [...payoutTotals.values()],
  };
}
