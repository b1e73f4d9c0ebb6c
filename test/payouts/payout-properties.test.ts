import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentOf, reversalFor } from '../../src/commissions/arithmetic.js';
import { call, startTestApp, type TestApp } from '../helpers/app.js';
import {
  approveAll,
  freshIban,
  type PayoutWorld,
  payoutWorld,
  sale as recordSale,
  refund,
  runPayouts,
  sepaProfile,
} from './world.js';

/**
 * For any sequence of sales, refunds, approvals, payout runs (two at once among them), payouts
 * marked paid and payouts that fail, even after they were paid: every approved entry is paid,
 * in a payout on its way, or still approved and unpaid (carried forward or waiting), exactly
 * once; the approved total is what the rules give for the sales and refunds; no entry is in two
 * payouts that were not failed; and a run's carried-forward and blocked creators hold exactly
 * the approved, unpaid balance it left.
 */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const RATE_BPS = 1000;

type Command =
  | { kind: 'sale'; creator: number; amount: number }
  | { kind: 'refund'; order: number; amount: number }
  | { kind: 'approve' }
  | { kind: 'run'; twice: boolean }
  | { kind: 'paid'; payout: number }
  | { kind: 'fail'; payout: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('sale' as const),
      creator: fc.nat({ max: 2 }),
      amount: fc.integer({ min: 1, max: 200_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('refund' as const),
      order: fc.nat(),
      amount: fc.integer({ min: 1, max: 200_000 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('approve' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('run' as const), twice: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('paid' as const), payout: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fail' as const), payout: fc.nat() }) },
);

const sale = (creator: number, amount: number): Command => ({ kind: 'sale', creator, amount });
const refundOf = (order: number, amount: number): Command => ({ kind: 'refund', order, amount });
const paidOf = (payout: number): Command => ({ kind: 'paid', payout });
const failOf = (payout: number): Command => ({ kind: 'fail', payout });

interface Order {
  orderId: string;
  amount: number;
  refunded: number;
}

/** The ledger as the database holds it, for one program. */
async function ledgerState(programId: string) {
  const db = t.database.handle.db;
  const entries = await db
    .selectFrom('commissions')
    .select(['id', 'kind', 'status', 'amount', 'reverses_id', 'payout_id'])
    .where('program_id', '=', programId)
    .execute();
  const reversedOf = new Map<string, number>();
  for (const e of entries) {
    if (e.kind === 'reversal' && e.status === 'reversed' && e.reverses_id) {
      reversedOf.set(e.reverses_id, (reversedOf.get(e.reverses_id) ?? 0) + e.amount);
    }
  }
  const net = (e: (typeof entries)[number]) => e.amount + (reversedOf.get(e.id) ?? 0);
  const payable = entries.filter((e) => e.status === 'approved' || e.status === 'paid');
  const payouts = await db
    .selectFrom('payouts')
    .select(['id', 'status', 'amount'])
    .where('program_id', '=', programId)
    .execute();
  const items = await db
    .selectFrom('payout_items')
    .innerJoin('payouts', 'payouts.id', 'payout_items.payout_id')
    .select(['payout_items.commission_id', 'payouts.status'])
    .where('payouts.program_id', '=', programId)
    .execute();
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    approvedTotal: sum(payable.map(net)),
    approvedUnpaid: sum(payable.filter((e) => e.status === 'approved' && e.payout_id === null).map(net)),
    paid: sum(payouts.filter((p) => p.status === 'paid').map((p) => p.amount)),
    onTheirWay: sum(payouts.filter((p) => p.status === 'pending' || p.status === 'processing').map((p) => p.amount)),
    pendingLedger: sum(entries.filter((e) => e.status === 'pending').map(net)),
    liveItems: items.filter((i) => i.status !== 'failed').map((i) => i.commission_id),
    paidEntriesOutsidePaidPayouts: entries.filter(
      (e) => e.status === 'paid' && !payouts.some((p) => p.id === e.payout_id && p.status === 'paid'),
    ).length,
    payouts,
  };
}

describe('payouts over any sequence of ledger events', () => {
  it('account for every approved entry exactly once and never pay an entry twice', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 14 }), async (commands) => {
        const w: PayoutWorld = await payoutWorld(t, { creators: 3, minPayoutAmount: 1500 });
        for (const c of w.creators) await sepaProfile(t, c, freshIban());
        const orders: Order[] = [];
        for (const cmd of commands) {
          switch (cmd.kind) {
            case 'sale': {
              const { orderId } = await recordSale(t, w, w.creators[cmd.creator]!, cmd.amount);
              orders.push({ orderId, amount: cmd.amount, refunded: 0 });
              break;
            }
            case 'refund': {
              const order = orders[cmd.order % Math.max(orders.length, 1)];
              if (!order || order.refunded >= order.amount) break;
              const amount = Math.min(cmd.amount, order.amount - order.refunded);
              await refund(t, w, order.orderId, amount);
              order.refunded += amount;
              break;
            }
            case 'approve':
              await approveAll(t);
              break;
            case 'run': {
              const answers = await Promise.all(cmd.twice ? [runPayouts(t, w), runPayouts(t, w)] : [runPayouts(t, w)]);
              for (const a of answers) {
                expect([201, 409]).toContain(a.statusCode);
                if (a.statusCode === 409) expect(a.json().error.code).toBe('PAYOUT_RUN_IN_PROGRESS');
              }
              const done = answers.find((a) => a.statusCode === 201)?.json();
              if (done && !cmd.twice) {
                const state = await ledgerState(w.programId);
                const held = [...done.carriedForward, ...done.blocked].reduce(
                  (s: number, h: { amount: number }) => s + h.amount,
                  0,
                );
                expect(held).toBe(state.approvedUnpaid);
              }
              break;
            }
            case 'paid':
            case 'fail': {
              const { payouts } = await ledgerState(w.programId);
              const open = payouts
                .filter((p) => (cmd.kind === 'paid' ? p.status !== 'paid' : true) && p.status !== 'failed')
                .sort((a, b) => (a.id < b.id ? -1 : 1));
              const target = open[cmd.payout % Math.max(open.length, 1)];
              if (!target) break;
              const res = await call(t.app, w.brand.token, {
                method: 'POST',
                url: `/api/v1/payouts/${target.id}/${cmd.kind === 'paid' ? 'mark-paid' : 'fail'}`,
                payload: cmd.kind === 'paid' ? {} : { code: 'bank_return', reason: 'MS03 reason not specified' },
              });
              expect(res.statusCode).toBe(200);
              break;
            }
          }
        }
        await approveAll(t);
        const state = await ledgerState(w.programId);
        // What the rules give: 10 % of each order, less what its refunds reversed.
        const expected = orders.reduce((s, o) => {
          const commission = percentOf(o.amount, RATE_BPS);
          return s + commission - reversalFor(commission, o.amount, o.refunded, 0);
        }, 0);
        expect(state.pendingLedger).toBe(0);
        expect(state.approvedTotal).toBe(expected);
        expect(state.paid + state.onTheirWay + state.approvedUnpaid).toBe(state.approvedTotal);
        expect(new Set(state.liveItems).size).toBe(state.liveItems.length);
        expect(state.paidEntriesOutsidePaidPayouts).toBe(0);
      }),
      {
        numRuns: 20,
        examples: [
          // A refund of an entry in a payout not yet paid, then the payout paid.
          [[sale(0, 50_000), { kind: 'approve' }, { kind: 'run', twice: false }, refundOf(0, 10_000), paidOf(0)]],
          // A refund while in a payout, the payout failing, and the rest of the order refunded.
          [
            [
              sale(1, 40_000),
              { kind: 'approve' },
              { kind: 'run', twice: false },
              refundOf(0, 15_000),
              failOf(0),
              refundOf(0, 25_000),
              { kind: 'run', twice: true },
            ],
          ],
          // A paid payout returned by the bank after a refund of a paid entry.
          [
            [
              sale(2, 90_000),
              { kind: 'approve' },
              { kind: 'run', twice: false },
              paidOf(0),
              refundOf(0, 30_000),
              sale(2, 20_000),
              { kind: 'approve' },
              { kind: 'run', twice: false },
              failOf(0),
              { kind: 'run', twice: false },
            ],
          ],
        ],
      },
    );
  }, 240_000);
});
