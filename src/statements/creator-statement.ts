/**
 * A creator's statement for one month and program: every ledger entry written that month with
 * its explanation, every change of an entry's status that month, and the balances
 * as they stood at the month's end (read from the status history, not today's status).
 */
import type { Db } from '../db/database.js';
import type { CommissionStatus } from '../db/schema.js';
import { notFound } from '../shared/errors.js';
import { payoutsOfMonth, type StatementPayout, toStatementPayout } from './brand-statement.js';
import { monthRange } from './month.js';

export interface CreatorStatement {
  kind: 'creator';
  month: string;
  program: { id: string; name: string; brand: string };
  creator: { id: string; name: string };
  currency: string;
  entries: {
    id: string;
    at: string;
    kind: 'sale' | 'lead' | 'reversal';
    orderId: string;
    status: CommissionStatus;
    amount: number;
    explanation: string;
  }[];
  changes: {
    commissionId: string;
    at: string;
    from: CommissionStatus | null;
    to: CommissionStatus;
    reason: string | null;
  }[];
  totals: { earned: number; reversed: number; net: number };
  closing: { pending: number; approved: number; paid: number };
  /** The creator's payouts of the program made, paid or failed in the month. */
  payouts: StatementPayout[];
}

export async function creatorStatement(
  db: Db,
  q: { creatorId: string; programId: string; month: string },
): Promise<CreatorStatement> {
  const { start, end } = monthRange(q.month);
  const program = await db
    .selectFrom('programs as p')
    .innerJoin('workspaces as w', 'w.id', 'p.workspace_id')
    .select(['p.id', 'p.name', 'p.currency', 'w.name as brand'])
    .where('p.id', '=', q.programId)
    .executeTakeFirst();
  const creator = await db
    .selectFrom('creators')
    .select(['id', 'name'])
    .where('id', '=', q.creatorId)
    .executeTakeFirst();
  const enrolled = await db
    .selectFrom('enrollments')
    .select('id')
    .where('program_id', '=', q.programId)
    .where('creator_id', '=', q.creatorId)
    .executeTakeFirst();
  // A program the creator has never been in is, for them, a program that does not exist.
  if (!program || !creator || !enrolled) throw notFound('Program');

  const entries = await db
    .selectFrom('commissions as c')
    .innerJoin('conversions as v', 'v.id', 'c.conversion_id')
    .select(['c.id', 'c.created_at', 'c.kind', 'v.external_id', 'c.status', 'c.amount', 'c.explanation'])
    .where('c.program_id', '=', q.programId)
    .where('c.creator_id', '=', q.creatorId)
    .where('c.created_at', '>=', start)
    .where('c.created_at', '<', end)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();

  const changes = await db
    .selectFrom('commission_events as e')
    .innerJoin('commissions as c', 'c.id', 'e.commission_id')
    .select(['e.commission_id', 'e.at', 'e.from_status', 'e.to_status', 'e.reason'])
    .where('c.program_id', '=', q.programId)
    .where('c.creator_id', '=', q.creatorId)
    .where('e.at', '>=', start)
    .where('e.at', '<', end)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();

  // Every entry written before the month's end, with its history up to then: its status then.
  const all = await db
    .selectFrom('commissions')
    .select(['id', 'amount', 'status'])
    .where('program_id', '=', q.programId)
    .where('creator_id', '=', q.creatorId)
    .where('created_at', '<', end)
    .execute();
  const history = await db
    .selectFrom('commission_events as e')
    .innerJoin('commissions as c', 'c.id', 'e.commission_id')
    .select(['e.commission_id', 'e.at', 'e.id', 'e.from_status', 'e.to_status'])
    .where('c.program_id', '=', q.programId)
    .where('c.creator_id', '=', q.creatorId)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
  const statusAtEnd = new Map<string, CommissionStatus>();
  const firstFrom = new Map<string, CommissionStatus | null>();
  for (const e of history) {
    if (!firstFrom.has(e.commission_id)) firstFrom.set(e.commission_id, e.from_status);
    if (e.at < end) statusAtEnd.set(e.commission_id, e.to_status);
  }
  const closing = { pending: 0, approved: 0, paid: 0 };
  for (const c of all) {
    // With no change before the month's end, an entry stood as it was written: the first
    // change's starting status, or, with none at all, its status now.
    const status = statusAtEnd.get(c.id) ?? firstFrom.get(c.id) ?? c.status;
    if (status === 'pending' || status === 'approved' || status === 'paid') closing[status] += c.amount;
  }

  const payouts = (
    await payoutsOfMonth(db, start, end)
      .where('po.program_id', '=', q.programId)
      .where('po.creator_id', '=', q.creatorId)
      .execute()
  ).map(toStatementPayout);

  const earned = entries.filter((e) => e.kind !== 'reversal').reduce((s, e) => s + e.amount, 0);
  const reversed = entries.filter((e) => e.kind === 'reversal').reduce((s, e) => s + e.amount, 0);
  return {
    kind: 'creator',
    month: q.month,
    program: { id: program.id, name: program.name, brand: program.brand },
    creator: { id: creator.id, name: creator.name },
    currency: program.currency,
    entries: entries.map((e) => ({
      id: e.id,
      at: e.created_at,
      kind: e.kind,
      orderId: e.external_id,
      status: e.status,
      amount: e.amount,
      explanation: e.explanation,
    })),
    changes: changes.map((c) => ({
      commissionId: c.commission_id,
      at: c.at,
      from: c.from_status,
      to: c.to_status,
      reason: c.reason,
    })),
    totals: { earned, reversed, net: earned + reversed },
    closing,
    payouts,
  };
}
