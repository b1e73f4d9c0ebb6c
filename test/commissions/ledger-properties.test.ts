import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentOf, reversalFor } from '../../src/commissions/arithmetic.js';
import type { RefundInput, SaleInput } from '../../src/conversions/contract.js';
import { conversionsService } from '../../src/conversions/service.js';
import { systemClock } from '../../src/shared/clock.js';
import { trustedScope } from '../../src/shared/principal.js';
import {
  approvedCreator,
  type Brand,
  call,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

/**
 * For any sequence of sales, partial and full refunds — delivered twice, out of order, refunds
 * before their sales, some at the same time — the ledger ends where the rules say for the final
 * state: each line earns its rate of its amount, rounded half to even; each line's refunds
 * reverse exactly their share of it; a fully refunded order nets to zero; nothing counts twice.
 */
let t: TestApp;
let brand: Brand;
let programId: string;
let creatorId: string;
let productId: string;
let service: ReturnType<typeof conversionsService>;
let run = 0;

const PROGRAM_BPS = 1250;
const PRODUCT_BPS = 2000;

beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app, 'Ledger Brand');
  programId = (
    await createProgram(t.app, brand.token, { ...validProgram, defaultRate: { type: 'percent', bps: PROGRAM_BPS } })
  ).id;
  creatorId = (await approvedCreator(t.app, brand.token, programId, 'Dana Vaughan')).creatorId;
  const code = await call(t.app, brand.token, {
    method: 'POST',
    url: `/api/v1/programs/${programId}/codes`,
    payload: { creatorId, code: 'LEDGER10', discount: { type: 'percent', bps: 1000 } },
  });
  expect(code.statusCode).toBe(201);
  const product = await call(t.app, brand.token, {
    method: 'POST',
    url: `/api/v1/programs/${programId}/products`,
    payload: { externalId: 'rated', name: 'Rated product', rate: { type: 'percent', bps: PRODUCT_BPS } },
  });
  productId = product.json().id;
  service = conversionsService({
    db: t.database.handle.db,
    clock: systemClock,
    secret: 'x'.repeat(32),
    dialect: t.database.handle.dialect,
  });
});
afterAll(async () => {
  await t?.close();
});

const lineArb = fc.record({ amount: fc.integer({ min: 0, max: 50_000 }), rated: fc.boolean() });
const orderArb = fc.array(lineArb, { minLength: 1, maxLength: 3 }).chain((lines) =>
  fc.record({
    lines: fc.constant(lines),
    // Each refund takes some amount back from some lines (possibly more than is left).
    refunds: fc.array(
      fc.array(fc.record({ line: fc.nat({ max: lines.length - 1 }), amount: fc.integer({ min: 0, max: 60_000 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
      { maxLength: 3 },
    ),
    fullRefund: fc.boolean(),
  }),
);

type Event = { kind: 'sale'; input: SaleInput } | { kind: 'refund'; input: RefundInput };

describe('the commission ledger', () => {
  it('always equals the rules applied to the final state, whatever the order and repetition of deliveries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(orderArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (orders, shuffle, repeats) => {
          run++;
          const scope = trustedScope(brand.workspaceId);
          const events: Event[] = [];
          const expected = new Map<string, number>();
          orders.forEach((order, o) => {
            const orderId = `run${run}-o${o}`;
            events.push({
              kind: 'sale',
              input: {
                programId,
                orderId,
                source: 'track',
                currency: 'EUR',
                couponCodes: ['ledger10'],
                lines: order.lines.map((l, i) => ({
                  lineId: `l${i}`,
                  productId: l.rated ? productId : null,
                  amount: l.amount,
                  quantity: 1,
                })),
              },
            });
            const refunded = order.lines.map(() => 0);
            order.refunds.forEach((parts, r) => {
              // A refund names each line once, as the platforms send them.
              const byLine = new Map<number, number>();
              for (const p of parts) byLine.set(p.line, (byLine.get(p.line) ?? 0) + p.amount);
              events.push({
                kind: 'refund',
                input: {
                  programId,
                  orderId,
                  refundId: `${orderId}-r${r}`,
                  source: 'track',
                  lines: [...byLine].map(([line, amount]) => ({ lineId: `l${line}`, amount })),
                },
              });
              for (const [line, amount] of byLine) refunded[line] = (refunded[line] ?? 0) + amount;
            });
            if (order.fullRefund) {
              events.push({
                kind: 'refund',
                input: {
                  programId,
                  orderId,
                  refundId: `${orderId}-full`,
                  source: 'track',
                  lines: order.lines.map((l, i) => ({ lineId: `l${i}`, amount: l.amount })),
                },
              });
              order.lines.forEach((l, i) => {
                refunded[i] = (refunded[i] ?? 0) + l.amount;
              });
            }
            const net = order.lines.reduce((sum, l, i) => {
              const commission = percentOf(l.amount, l.rated ? PRODUCT_BPS : PROGRAM_BPS);
              const back = reversalFor(commission, l.amount, Math.min(refunded[i] ?? 0, l.amount), 0);
              return sum + commission - back;
            }, 0);
            expected.set(orderId, order.fullRefund ? 0 : net);
          });

          // Out of order: a permutation driven by the generated keys; then some deliveries again.
          const order = events.map((e, i) => ({ e, key: shuffle[i] ?? i }));
          order.sort((a, b) => a.key - b.key);
          const deliveries = order.map((x) => x.e);
          for (const r of repeats) {
            const again = deliveries[r % deliveries.length];
            if (again) deliveries.splice((r * 7) % (deliveries.length + 1), 0, again);
          }
          const deliver = (e: Event) =>
            e.kind === 'sale' ? service.recordSale(scope, e.input) : service.recordRefund(scope, e.input);
          // Deliveries two at a time: concurrent twins and racing refunds included.
          for (let i = 0; i < deliveries.length; i += 2) {
            await Promise.all(deliveries.slice(i, i + 2).map(deliver));
          }

          const db = t.database.handle.db;
          for (const [orderId, net] of expected) {
            const conversions = await db
              .selectFrom('conversions')
              .select('id')
              .where('external_id', '=', orderId)
              .execute();
            expect(conversions).toHaveLength(1);
            const entries = await db
              .selectFrom('commissions')
              .select(['amount', 'kind', 'status'])
              .where('conversion_id', '=', conversions[0]?.id ?? '')
              .execute();
            expect(
              entries.reduce((s, e) => s + e.amount, 0),
              orderId,
            ).toBe(net);
            expect(entries.filter((e) => e.kind === 'sale').length).toBeLessThanOrEqual(3);
          }
          const refunds = await db
            .selectFrom('refunds')
            .select(['external_id', 'status'])
            .where('order_id', 'like', `run${run}-%`)
            .execute();
          expect(new Set(refunds.map((r) => r.external_id)).size).toBe(refunds.length);
          expect(refunds.every((r) => r.status === 'applied')).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });
});
