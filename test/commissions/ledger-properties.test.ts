import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefundInput, SaleInput } from '../../src/conversions/contract.js';
import { conversionsService } from '../../src/conversions/service.js';
import { systemClock } from '../../src/shared/clock.js';
import { trustedScope } from '../../src/shared/principal.js';
import {
  type Brand,
  call,
  createProduct,
  createProgram,
  signupBrand,
  signupCreator,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

/**
 * For any program (percentage or flat rates of the program, its products, a tier or the creator;
 * euros, yen or dinars), any orders (quantities above one, lines of no amount) and any sequence of
 * partial, full and shipping-only refunds — delivered twice, out of order, refunds before their
 * sales, some at the same time — the ledger ends where the rules say for the final state.
 *
 * The expectation is computed here, from the rules as the specification states them, in exact
 * fractions, never with the code under test:
 * - a percentage is taken of each line's net amount and rounded half to even to the minor unit;
 * - a product's flat rate is paid per unit; a flat rate of the program, a tier or the creator is
 *   paid once per order, shared over the lines it covers in proportion to their amounts (the
 *   units left by rounding down go to the largest remainders, earlier lines first on ties);
 * - precedence: the creator's own rate, the product's, a tier reached by the creator's sales this
 *   month (this order included), the program's;
 * - a refund reverses the refunded share of each line's commission, computed on the line's
 *   running refunded total and rounded half to even, so a full refund nets the order to zero;
 *   a refund of shipping or tax only (no net amount) reverses nothing.
 * Each order is won by a creator of its own (its own code), so that "this month's sales" is the
 * order alone whatever the order of deliveries.
 */
let t: TestApp;
let brand: Brand;
let service: ReturnType<typeof conversionsService>;
let run = 0;

/**
 * Lines of no amount (a free gift) are generated only where they can earn nothing; the full
 * generator (GIFTS below) also makes them under flat rates.
 */
const GIFTS = false;

beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app, 'Ledger Brand');
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

// ---------------------------------------------------------------------------------------------
// Exact fractions and rounding, written for this test alone.

/** n / d rounded half to even, d > 0, n ≥ 0. */
function roundHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const twiceRest = 2n * (n - q * d);
  if (twiceRest > d) return q + 1n;
  if (twiceRest < d) return q;
  return q % 2n === 0n ? q : q + 1n;
}

const atMost = (a: bigint, b: bigint) => (a > b ? b : a);

/** `total` shared over `weights` in proportion: floors, then the largest remainders (earlier first). */
function share(total: bigint, weights: bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return weights.map((_, i) => (i === 0 ? total : 0n));
  const floors = weights.map((w) => (total * w) / sum);
  let left = total - floors.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((w, i) => ({ i, rest: (total * w) % sum }))
    .sort((a, b) => (a.rest === b.rest ? a.i - b.i : a.rest > b.rest ? -1 : 1));
  for (const { i } of order) {
    if (left === 0n) break;
    floors[i] = (floors[i] as bigint) + 1n;
    left--;
  }
  return floors;
}

// ---------------------------------------------------------------------------------------------
// The generated world.

type Rate = { type: 'percent'; bps: number } | { type: 'flat'; amount: number };

const rateArb: fc.Arbitrary<Rate> = fc.oneof(
  fc.record({
    type: fc.constant('percent' as const),
    bps: fc.oneof(fc.constantFrom(0, 1, 333, 1250, 1500, 2000, 5000, 10_000), fc.integer({ min: 0, max: 10_000 })),
  }),
  fc.record({ type: fc.constant('flat' as const), amount: fc.integer({ min: 1, max: 2_500 }) }),
);

const worldArb = fc.record({
  currency: fc.constantFrom('EUR', 'JPY', 'KWD'),
  programRate: rateArb,
  tier: fc.option(fc.record({ thresholdAmount: fc.integer({ min: 0, max: 120_000 }), rate: rateArb })),
  creatorRate: fc.option(rateArb, { freq: 3 }),
  /** Two products, each with its own rate or none. */
  productRates: fc.tuple(fc.option(rateArb), fc.option(rateArb)),
});
type World = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;

const lineArb = fc.record({
  amount: fc.oneof(fc.integer({ min: GIFTS ? 0 : 1, max: 50_000 }), fc.constant(GIFTS ? 0 : 1)),
  quantity: fc.integer({ min: 1, max: 4 }),
  /** Which product the line is: none (the program's rate), the first or the second. */
  product: fc.constantFrom(null, 0, 1),
});

type Line = { amount: number; quantity: number; product: 0 | 1 | null };

const orderArb = fc.array(lineArb, { minLength: 1, maxLength: 4 }).chain((lines) =>
  fc.record({
    // At least one line with an amount: a full refund of an order of nothing would be no refund.
    lines: fc.constant<Line[]>(
      lines.some((l) => l.amount > 0) ? lines : [{ ...lines[0]!, amount: 1 }, ...lines.slice(1)],
    ),
    // Partial refunds by line, of lines with an amount (possibly more than is left).
    refunds: fc.array(
      fc.array(fc.record({ line: fc.nat({ max: lines.length - 1 }), amount: fc.integer({ min: 1, max: 60_000 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
      { maxLength: 3 },
    ),
    /** A refund of shipping or tax only: no net amount. */
    shippingOnly: fc.boolean(),
    /** A full refund: none, naming every line, or as the order's total amount. */
    full: fc.constantFrom('none', 'lines', 'amount'),
  }),
);
type Order = typeof orderArb extends fc.Arbitrary<infer O> ? O : never;

/** What the rules say the order's ledger adds up to, once every refund is applied. */
function expectedNet(world: World, order: Order): { net: bigint; saleEntries: number; full: boolean } {
  const lines = order.lines.map((l) => ({ ...l, amount: BigInt(l.amount), quantity: BigInt(l.quantity) }));
  const total = lines.reduce((s, l) => s + l.amount, 0n);
  const tierReached = world.tier !== null && total >= BigInt(world.tier.thresholdAmount);
  const chosen = order.lines.map((l) => {
    if (world.creatorRate) return { rate: world.creatorRate, perUnit: false };
    const productRate = l.product === null ? null : world.productRates[l.product];
    if (productRate) return { rate: productRate, perUnit: true };
    if (tierReached && world.tier) return { rate: world.tier.rate, perUnit: false };
    return { rate: world.programRate, perUnit: false };
  });
  const commission = lines.map((l, i) => {
    const c = chosen[i]!;
    if (c.rate.type === 'percent') return roundHalfEven(l.amount * BigInt(c.rate.bps), 10_000n);
    return c.perUnit ? BigInt(c.rate.amount) * l.quantity : 0n;
  });
  // A flat rate paid per order: once, over the lines it covers, in proportion to their amounts.
  const perOrder = chosen.map((c, i) => (c.rate.type === 'flat' && !c.perUnit ? i : -1)).filter((i) => i >= 0);
  if (perOrder.length > 0) {
    const flat = chosen[perOrder[0]!]!.rate as { amount: number };
    const parts = share(
      BigInt(flat.amount),
      perOrder.map((i) => lines[i]!.amount),
    );
    perOrder.forEach((i, k) => {
      commission[i] = parts[k]!;
    });
  }

  const refunded = lines.map(() => 0n);
  for (const parts of order.refunds) for (const p of parts) refunded[p.line]! += BigInt(p.amount);
  const fullyRefunded = order.full !== 'none' || lines.every((l, i) => l.amount === 0n || refunded[i]! >= l.amount);
  const reversed = lines.map((l, i) => {
    const c = commission[i]!;
    if (fullyRefunded) return c;
    if (l.amount === 0n) return 0n; // a line of no amount goes back only with the whole order
    return roundHalfEven(c * atMost(refunded[i]!, l.amount), l.amount);
  });
  const net = commission.reduce((s, c, i) => s + c - reversed[i]!, 0n);
  return { net, saleEntries: commission.filter((c) => c !== 0n).length, full: fullyRefunded };
}

// ---------------------------------------------------------------------------------------------

async function makeProgram(world: World) {
  const programId = (
    await createProgram(t.app, brand.token, {
      ...validProgram,
      name: `Ledger ${run}`,
      currency: world.currency,
      defaultRate: world.programRate,
      tiers: world.tier ? [world.tier] : [],
    })
  ).id;
  const products: string[] = [];
  for (const [i, rate] of world.productRates.entries()) {
    const made = await createProduct(t.app, brand.token, programId, {
      externalId: `product-${i}`,
      name: `Product ${i}`,
      ...(rate ? { rate } : {}),
    });
    products.push(made.id);
  }
  return { programId, products };
}

/** A creator of its own for an order, enrolled (with the world's own rate, if any) and given a code. */
async function creatorWithCode(world: World, programId: string, code: string) {
  const creator = await signupCreator(t.app, `Creator ${code}`);
  const invite = await call(t.app, brand.token, {
    method: 'POST',
    url: `/api/v1/programs/${programId}/enrollments`,
    payload: { creatorEmail: creator.email, ...(world.creatorRate ? { rate: world.creatorRate } : {}) },
  });
  expect(invite.statusCode, invite.body).toBe(201);
  const accept = await call(t.app, creator.token, {
    method: 'PATCH',
    url: `/api/v1/enrollments/${invite.json().id}`,
    payload: { status: 'approved' },
  });
  expect(accept.statusCode, accept.body).toBe(200);
  const made = await call(t.app, brand.token, {
    method: 'POST',
    url: `/api/v1/programs/${programId}/codes`,
    payload: { creatorId: creator.creatorId, code, discount: { type: 'percent', bps: 1000 } },
  });
  expect(made.statusCode, made.body).toBe(201);
}

type Event = { kind: 'sale'; input: SaleInput } | { kind: 'refund'; input: RefundInput };

describe('the commission ledger', () => {
  it('always equals the rules applied to the final state, whatever the order and repetition of deliveries', async () => {
    await fc.assert(
      fc.asyncProperty(
        worldArb,
        fc.array(orderArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (world, orders, shuffle, repeats) => {
          run++;
          const { programId, products } = await makeProgram(world);
          const scope = trustedScope(brand.workspaceId);
          const events: Event[] = [];
          const expected = new Map<string, { net: bigint; saleEntries: number; full: boolean }>();
          for (const [o, order] of orders.entries()) {
            const orderId = `run${run}-o${o}`;
            const code = `R${run}O${o}`;
            await creatorWithCode(world, programId, code);
            events.push({
              kind: 'sale',
              input: {
                programId,
                orderId,
                source: 'track',
                currency: world.currency,
                couponCodes: [code],
                lines: order.lines.map((l, i) => ({
                  lineId: `l${i}`,
                  productId: l.product === null ? null : products[l.product],
                  amount: l.amount,
                  quantity: l.quantity,
                })),
              },
            });
            for (const [r, parts] of order.refunds.entries()) {
              // A refund names each line once, as the platforms send them; only lines with an amount.
              const byLine = new Map<number, number>();
              for (const p of parts) {
                if (order.lines[p.line]!.amount > 0) byLine.set(p.line, (byLine.get(p.line) ?? 0) + p.amount);
              }
              if (byLine.size === 0) continue;
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
            }
            if (order.shippingOnly) {
              events.push({
                kind: 'refund',
                input: { programId, orderId, refundId: `${orderId}-shipping`, source: 'track', amount: 0 },
              });
            }
            if (order.full !== 'none') {
              const total = order.lines.reduce((s, l) => s + l.amount, 0);
              events.push({
                kind: 'refund',
                input: {
                  programId,
                  orderId,
                  refundId: `${orderId}-full`,
                  source: 'track',
                  ...(order.full === 'amount'
                    ? { amount: total }
                    : { lines: order.lines.map((l, i) => ({ lineId: `l${i}`, amount: l.amount })) }),
                },
              });
            }
            const refundedByLines = order.refunds.flat().filter((p) => order.lines[p.line]!.amount > 0);
            expected.set(orderId, expectedNet(world, { ...order, refunds: [refundedByLines] }));
          }

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
          for (const [orderId, want] of expected) {
            // The rules themselves: a fully refunded order nets to exactly zero.
            if (want.full) expect(want.net, `${orderId}: the rules net a full refund to zero`).toBe(0n);
            const conversions = await db
              .selectFrom('conversions')
              .select(['id', 'attribution'])
              .where('program_id', '=', programId)
              .where('external_id', '=', orderId)
              .execute();
            expect(conversions).toHaveLength(1);
            expect(conversions[0]?.attribution).toBe('code');
            const entries = await db
              .selectFrom('commissions')
              .select(['amount', 'kind', 'status'])
              .where('conversion_id', '=', conversions[0]?.id ?? '')
              .execute();
            const label = `${orderId} in ${JSON.stringify(world)}`;
            expect(BigInt(entries.reduce((s, e) => s + Number(e.amount), 0)), label).toBe(want.net);
            // One sale entry per line that earns something: nothing counted twice.
            expect(entries.filter((e) => e.kind === 'sale').length, label).toBe(want.saleEntries);
          }
          const refunds = await db
            .selectFrom('refunds')
            .select(['external_id', 'status'])
            .where('program_id', '=', programId)
            .execute();
          expect(refunds.map((r) => r.status)).toEqual(refunds.map(() => 'applied'));
          expect(new Set(refunds.map((r) => r.external_id)).size).toBe(refunds.length);
        },
      ),
      { numRuns: 30 },
    );
  }, 240_000);
});
