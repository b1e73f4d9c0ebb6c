/**
 * Which rate a sale's line earns, and how much. Pure: the caller looks up the program, the
 * product, the creator's enrollment, the creator's sales this month and the rate history.
 *
 * Order of precedence: the creator's own rate, the product's rate, a performance tier, the
 * program's default. A cut of the program's or the creator's rate reaches a creator enrolled
 * before it only after the program's notice period; a raise applies at once.
 */

import { type RateChange, sameRate } from '../programs/rate-changes.js';
import type { Rate, Tier } from '../programs/schemas.js';
import { DAY_MS } from '../shared/time.js';
import { allocate, lineCommission } from './arithmetic.js';

export type RateSource = 'creator' | 'product' | 'tier' | 'program';

export interface ChosenRate {
  rate: Rate;
  source: RateSource;
  /** For a tier: its threshold. */
  tierThreshold?: number;
  /** When a cut has not reached this creator yet: the date it will. */
  protectedUntil?: string;
}

/** True when going from `from` to `to` pays a creator less (a change of kind counts as a cut). */
export function isCut(from: Rate | null, to: Rate | null): boolean {
  if (from === null) return false;
  if (to === null) return true;
  if (from.type === 'percent' && to.type === 'percent') return to.bps < from.bps;
  if (from.type === 'flat' && to.type === 'flat') return to.amount < from.amount;
  return true;
}

/**
 * The rate in force for a creator at `at`, given the rate now and the changes made since the
 * creator enrolled (oldest first). Raises apply when made; cuts `noticeDays` later; while a cut
 * waits, the creator keeps the better rate from before it.
 */
export function rateInForce(
  current: Rate | null,
  changes: RateChange[],
  at: Date,
  noticeDays: number,
): { rate: Rate | null; protectedUntil?: string } {
  if (changes.length === 0) return { rate: current };
  const t = at.getTime();
  const notice = noticeDays * DAY_MS;
  // The rate the brand had set at `at`…
  let rate: Rate | null = changes[0]?.from ?? current;
  for (const c of changes) if (Date.parse(c.at) <= t) rate = c.to;
  // …unless a cut made less than the notice period before guarantees the better rate before it.
  let protectedUntil: string | undefined;
  for (const c of changes) {
    const made = Date.parse(c.at);
    if (!isCut(c.from, c.to) || made > t || made + notice <= t) continue;
    if (isCut(c.from, rate)) rate = c.from;
    if (sameRate(rate, c.from)) protectedUntil = new Date(made + notice).toISOString();
  }
  return protectedUntil ? { rate, protectedUntil } : { rate };
}

export interface LineRateContext {
  programRate: Rate;
  programRateChanges: RateChange[];
  creatorRate: Rate | null;
  creatorRateChanges: RateChange[];
  productRate: Rate | null;
  tiers: Tier[];
  /** The creator's net sales in the program this calendar month, this order included. */
  monthSales: number;
  noticeDays: number;
  at: Date;
}

export function chooseRate(ctx: LineRateContext): ChosenRate {
  const creator = rateInForce(ctx.creatorRate, ctx.creatorRateChanges, ctx.at, ctx.noticeDays);
  if (creator.rate) return { rate: creator.rate, source: 'creator', ...pick(creator) };
  if (ctx.productRate) return { rate: ctx.productRate, source: 'product' };
  const tier = [...ctx.tiers].reverse().find((t) => ctx.monthSales >= t.thresholdAmount);
  if (tier) return { rate: tier.rate, source: 'tier', tierThreshold: tier.thresholdAmount };
  const program = rateInForce(ctx.programRate, ctx.programRateChanges, ctx.at, ctx.noticeDays);
  return { rate: program.rate ?? ctx.programRate, source: 'program', ...pick(program) };
}

const pick = (r: { protectedUntil?: string }) => (r.protectedUntil ? { protectedUntil: r.protectedUntil } : {});

export interface PricedLine {
  amount: number;
  quantity: number;
  chosen: ChosenRate;
}

/**
 * The commission of every line of an order. A percentage is taken of each line's net amount and
 * rounded half to even per line; a product's flat rate is per unit; a flat rate of the program,
 * a tier or the creator is per order, shared over the lines it covers in proportion to their
 * amounts (so that refunds can reverse it line by line).
 */
export function orderCommissions(lines: PricedLine[]): number[] {
  const out = lines.map((l) =>
    l.chosen.rate.type === 'percent' || l.chosen.source === 'product' ? lineCommission(l, l.chosen.rate) : 0,
  );
  const perOrder = new Map<string, number[]>();
  lines.forEach((l, i) => {
    if (l.chosen.rate.type !== 'flat' || l.chosen.source === 'product') return;
    const key = JSON.stringify(l.chosen.rate);
    perOrder.set(key, [...(perOrder.get(key) ?? []), i]);
  });
  for (const [key, indexes] of perOrder) {
    const rate = JSON.parse(key) as { amount: number };
    const shares = allocate(
      rate.amount,
      indexes.map((i) => lines[i]?.amount ?? 0),
    );
    indexes.forEach((i, k) => {
      out[i] = shares[k] ?? 0;
    });
  }
  return out;
}
