/**
 * A brand's statement for one month: per program, the sales recorded (attributed or not), the
 * commissions earned and reversed; and the network fees charged to the brand.
 */
import type { Db } from '../db/database.js';
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

  return {
    kind: 'brand',
    month: q.month,
    workspace,
    programs: [...rows.values()],
    networkFees: fees,
    networkFeeTotals: [...feeTotals].map(([currency, amount]) => ({ currency, amount })),
  };
}
