import { percentOf } from '../commissions/arithmetic.js';
import { commissionsService } from '../commissions/service.js';
import type { SaleInput } from '../conversions/contract.js';
import { conversionsService } from '../conversions/service.js';
import type { Db, Dialect } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { trustedScope } from '../shared/principal.js';
import { DAY_MS as DAY, HOUR_MS as HOUR } from '../shared/time.js';
import type { Random } from './random.js';
import { activeCodes, activeProducts, heldCommissions, humanClicks, programs as programsOf } from './repository.js';

export interface SalesSummary {
  sales: number;
  attributed: number;
  refunds: number;
  renewals: number;
  held: number;
  commissions: number;
}

/**
 * Sales for the demo world, through the same conversions service as the track API and the
 * webhooks: orders of the programs' products over the last 60 days, won by the demo clicks, by
 * the creators' codes (most of them typed with no click, as viewers hear them in videos), or not
 * attributed at all; returning customers; monthly renewals of subscriptions; partial and full
 * refunds; and a few cases the fraud checks hold — a creator buying with its own code, orders
 * from a coupon site. Commissions whose holding period has passed are approved.
 */
export async function loadDemoSales(
  deps: { db: Db; clock: Clock; rng: Random; secret: string; dialect: Dialect },
  options: { sales: number },
): Promise<SalesSummary> {
  const { db, clock, rng } = deps;
  const conversions = conversionsService({ db, clock, secret: deps.secret, dialect: deps.dialect });
  const summary: SalesSummary = { sales: 0, attributed: 0, refunds: 0, renewals: 0, held: 0, commissions: 0 };
  const now = clock.now().getTime();
  const programs = await programsOf(db);
  const allProducts = await activeProducts(db);
  if (programs.length === 0 || options.sales <= 0) return summary;

  for (const [p, program] of programs.entries()) {
    const scope = trustedScope(program.workspace_id);
    const products = allProducts.filter((r) => r.program_id === program.id);
    const codes = await activeCodes(db, program.id);
    // Human clicks of this program's links, oldest first: sales follow some of them.
    const clicks = await humanClicks(db, program.id, 20_000);
    if (products.length === 0) continue;
    const count = Math.round(options.sales / programs.length);
    const customers = Array.from({ length: Math.max(20, Math.round(count / 3)) }, (_, i) => `demo-${p}-${i}`);
    const orders: { input: SaleInput; at: number }[] = [];

    for (let i = 0; i < count; i++) {
      const roll = rng.next();
      let at = now - rng.int(1, 60 * 24) * HOUR;
      let clickId: string | null = null;
      let couponCodes: string[] = [];
      if (roll < 0.4 && clicks.length > 0) {
        const click = rng.pick(clicks);
        clickId = click.id;
        at = Math.min(now - 60_000, Date.parse(click.at) + rng.int(1, 72 * 60) * 60_000);
      } else if (roll < 0.8 && codes.length > 0) {
        couponCodes = [rng.pick(codes).code];
      }
      const lines = Array.from({ length: rng.int(1, 3) }, () => {
        const product = rng.pick(products);
        const quantity = rng.chance(0.8) ? 1 : 2;
        const gross = (product.price_amount ?? 4900) * quantity;
        const discount = couponCodes.length > 0 ? percentOf(gross, 1500) : 0;
        return {
          productId: product.external_id,
          name: product.name,
          amount: gross - discount,
          quantity,
          discountAmount: discount,
        };
      });
      orders.push({
        at,
        input: {
          programId: program.id,
          orderId: `D${p + 1}-${String(10_000 + i)}`,
          source: 'demo',
          occurredAt: new Date(at).toISOString(),
          currency: program.currency,
          clickId,
          couponCodes,
          customerId: rng.pick(customers),
          lines,
        },
      });
    }
    // Subscriptions: a first order and a renewal every 30 days since.
    for (let s = 0; s < 4 && codes.length > 0; s++) {
      const start = now - rng.int(62, 90) * DAY;
      const code = rng.pick(codes).code;
      for (let m = 0, at = start; at < now; m++, at += 30 * DAY) {
        orders.push({
          at,
          input: {
            programId: program.id,
            orderId: `D${p + 1}-SUB${s}-${m}`,
            source: 'demo',
            occurredAt: new Date(at).toISOString(),
            currency: program.currency,
            couponCodes: m === 0 ? [code] : [],
            subscriptionId: `sub-${p}-${s}`,
            customerId: `subscriber-${p}-${s}`,
            lines: [{ name: 'Monthly training plan', amount: 1900, quantity: 1 }],
          },
        });
        if (m > 0) summary.renewals++;
      }
    }
    // Cases for the fraud review: a creator using its own code; buyers from a coupon site.
    const own = codes[0];
    if (own) {
      orders.push({
        at: now - 2 * DAY,
        input: {
          programId: program.id,
          orderId: `D${p + 1}-SELF`,
          source: 'demo',
          occurredAt: new Date(now - 2 * DAY).toISOString(),
          currency: program.currency,
          couponCodes: [own.code],
          customerEmail: own.email,
          lines: [
            { productId: products[0]?.external_id ?? null, amount: products[0]?.price_amount ?? 4900, quantity: 1 },
          ],
        },
      });
    }
    const leaked = codes[1];
    if (leaked) {
      for (let k = 0; k < 3; k++) {
        const at = now - DAY + k * HOUR;
        orders.push({
          at,
          input: {
            programId: program.id,
            orderId: `D${p + 1}-DEAL${k}`,
            source: 'demo',
            occurredAt: new Date(at).toISOString(),
            currency: program.currency,
            couponCodes: [leaked.code],
            referrer: 'https://www.retailmenot.com/view/shop.example.com',
            lines: [
              { productId: products[1]?.external_id ?? null, amount: products[1]?.price_amount ?? 4900, quantity: 1 },
            ],
          },
        });
      }
    }

    orders.sort((a, b) => a.at - b.at);
    for (const order of orders) {
      const outcome = await conversions.recordSale(scope, order.input);
      summary.sales++;
      if (outcome.creatorId) summary.attributed++;
      summary.commissions += outcome.commissionIds.length;
      // About one order in twelve comes back: half of those in full, half one line or part of it.
      if (rng.chance(1 / 12) && order.at < now - 3 * DAY) {
        const full = rng.chance(0.5);
        const first = order.input.lines[0];
        await conversions.recordRefund(scope, {
          programId: program.id,
          orderId: order.input.orderId,
          refundId: `${order.input.orderId}-R`,
          source: 'demo',
          occurredAt: new Date(Math.min(now, order.at + rng.int(2, 14) * DAY)).toISOString(),
          ...(full || !first
            ? { amount: order.input.lines.reduce((s, l) => s + l.amount, 0) }
            : { lines: [{ productId: first.productId ?? null, amount: percentOf(first.amount, 5000) }] }),
        });
        summary.refunds++;
      }
    }
  }
  await commissionsService({ db, clock }).approveDue(clock.now());
  summary.held = await heldCommissions(db);
  return summary;
}
