import type { Db, DbOrTx } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { formatAmount } from '../shared/money.js';
import * as repo from './repository.js';

export interface PlanInput {
  currency: string;
  setupFeeAmount: number;
  saleFeeBps: number;
  monthlyFeeAmount?: number | null | undefined;
  startsOn?: string | undefined;
}

/** 'YYYY-MM' of each month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const [ty, tm] = to.slice(0, 7).split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** A range of days [from, to] as timestamps [from 00:00, the day after `to` 00:00). */
export function dayRange(from: string, to: string): { from: string; to: string } {
  const end = new Date(`${to}T00:00:00.000Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return { from: `${from}T00:00:00.000Z`, to: end.toISOString() };
}

export function networkFeesService({ db, clock }: { db: Db; clock: Clock }) {
  async function workspaceName(workspaceId: string): Promise<string> {
    const ws = await db.selectFrom('workspaces').select('name').where('id', '=', workspaceId).executeTakeFirst();
    if (!ws) throw notFound('Workspace');
    return ws.name;
  }

  /** Charges the monthly fee of every month from the plan's start to `now` not yet charged. */
  async function accrueMonthsOf(tx: DbOrTx, plan: repo.NetworkFeePlan, now: Date) {
    if (!plan.monthlyFeeAmount) return 0;
    let added = 0;
    const stamp = now.toISOString();
    for (const period of monthsBetween(plan.startsOn, stamp)) {
      const fresh = await repo.insertFee(tx, {
        id: newId('networkFee', now.getTime()),
        workspace_id: plan.workspaceId,
        program_id: null,
        conversion_id: null,
        kind: 'monthly',
        dedupe_key: `monthly:${plan.workspaceId}:${period}`,
        period,
        base_amount: 0,
        fee_bps: null,
        amount: plan.monthlyFeeAmount,
        currency: plan.currency,
        explanation: `Monthly network fee for ${period}: ${formatAmount(plan.monthlyFeeAmount, plan.currency)} ${plan.currency}`,
        at: `${period}-01T00:00:00.000Z`,
        created_at: stamp,
      });
      if (fresh) added += 1;
    }
    return added;
  }

  /**
   * Sets a workspace's fees. The setup fee is charged once, when a plan with one is first set;
   * the per-sale fee applies to sales recorded from now on; the monthly fee is charged for each
   * month from `startsOn` (default: today) at the rate in force when the month is charged.
   */
  async function setPlan(workspaceId: string, input: PlanInput, actor: string | null) {
    await workspaceName(workspaceId);
    const now = clock.now();
    const stamp = now.toISOString();
    return db.transaction().execute(async (tx) => {
      const current = await repo.findPlan(tx, workspaceId);
      await repo.savePlan(tx, {
        workspace_id: workspaceId,
        currency: input.currency,
        setup_fee_amount: input.setupFeeAmount,
        sale_fee_bps: input.saleFeeBps,
        monthly_fee_amount: input.monthlyFeeAmount ?? null,
        starts_on: input.startsOn ?? current?.startsOn ?? stamp.slice(0, 10),
        created_at: current?.createdAt ?? stamp,
        updated_at: stamp,
        updated_by: actor,
      });
      if (input.setupFeeAmount > 0) {
        await repo.insertFee(tx, {
          id: newId('networkFee', now.getTime()),
          workspace_id: workspaceId,
          program_id: null,
          conversion_id: null,
          kind: 'setup',
          dedupe_key: `setup:${workspaceId}`,
          period: null,
          base_amount: 0,
          fee_bps: null,
          amount: input.setupFeeAmount,
          currency: input.currency,
          explanation: `Network setup fee: ${formatAmount(input.setupFeeAmount, input.currency)} ${input.currency}`,
          at: stamp,
          created_at: stamp,
        });
      }
      const plan = await repo.findPlan(tx, workspaceId);
      if (!plan) throw new Error('the plan just saved is gone');
      await accrueMonthsOf(tx, plan, now);
      return plan;
    });
  }

  async function getPlan(workspaceId: string) {
    await workspaceName(workspaceId);
    const plan = await repo.findPlan(db, workspaceId);
    if (!plan) throw notFound('Network fee plan');
    return plan;
  }

  /** Charges every due monthly fee (the server's timer); safe to run anywhere, any number of times. */
  async function accrueMonthly(now: Date = clock.now()): Promise<number> {
    let added = 0;
    for (const plan of await repo.plansWithMonthlyFee(db)) added += await accrueMonthsOf(db, plan, now);
    return added;
  }

  async function list(
    workspaceId: string,
    opts: { from: string; to: string; limit: number; before?: string | undefined },
  ) {
    const range = dayRange(opts.from, opts.to);
    return repo.listFees(db, workspaceId, { ...range, limit: opts.limit, before: opts.before });
  }

  /**
   * The network-wide report: per workspace and currency, the sales that carried a fee, the fees
   * on them, what refunds reversed, setup and monthly fees, and the net.
   */
  async function report(opts: { from: string; to: string }) {
    const range = dayRange(opts.from, opts.to);
    const totals = await repo.feeTotals(db, range);
    const names = new Map<string, string>();
    const rows = new Map<string, ReportRow>();
    for (const t of totals) {
      const key = `${t.workspaceId}\u0000${t.currency}`;
      if (!names.has(t.workspaceId)) names.set(t.workspaceId, await workspaceName(t.workspaceId));
      const row =
        rows.get(key) ??
        ({
          workspaceId: t.workspaceId,
          workspaceName: names.get(t.workspaceId) ?? '',
          currency: t.currency,
          sales: 0,
          salesAmount: 0,
          saleFees: 0,
          reversedFees: 0,
          setupFees: 0,
          monthlyFees: 0,
          total: 0,
        } satisfies ReportRow);
      if (t.kind === 'sale') {
        row.sales += t.entries;
        row.salesAmount += t.base;
        row.saleFees += t.amount;
      } else if (t.kind === 'reversal') row.reversedFees += t.amount;
      else if (t.kind === 'setup') row.setupFees += t.amount;
      else row.monthlyFees += t.amount;
      row.total += t.amount;
      rows.set(key, row);
    }
    return { from: opts.from, to: opts.to, data: [...rows.values()] };
  }

  return { setPlan, getPlan, accrueMonthly, list, report };
}

export interface ReportRow {
  workspaceId: string;
  workspaceName: string;
  currency: string;
  sales: number;
  salesAmount: number;
  saleFees: number;
  reversedFees: number;
  setupFees: number;
  monthlyFees: number;
  total: number;
}

export type NetworkFeesService = ReturnType<typeof networkFeesService>;
