/**
 * The arithmetic of commissions, exact to the minor unit: integers and BigInt only, never a
 * float. Every division rounds half to even ("banker's rounding"), so that over many lines the
 * roundings do not drift in anyone's favour.
 */
import { minorUnitDigits } from '../shared/money.js';

/** A commission rate or a discount, as programs, products and codes store it. */
export type Rate = { type: 'percent'; bps: number } | { type: 'flat'; amount: number };

const BPS = 10_000n;

/** numerator / denominator rounded half to even; the denominator must be positive. */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('the denominator must be positive');
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let q = n / denominator;
  const r = n - q * denominator;
  const twice = 2n * r;
  if (twice > denominator || (twice === denominator && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

/** A BigInt amount as a number, refused (RangeError) beyond the exact range of a number. */
export function toSafeNumber(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${value} is beyond the exact range of a number`);
  return n;
}

/** `bps` basis points of an amount in minor units, rounded half to even: 2000 bps of 6000 → 1200. */
export function percentOf(amount: number, bps: number): number {
  return toSafeNumber(divideHalfEven(BigInt(amount) * BigInt(bps), BPS));
}

/**
 * The commission on one order line whose net amount (after discounts, without tax and shipping)
 * is `amount` for `quantity` units: a percentage of the amount, or a flat amount per unit.
 */
export function lineCommission(line: { amount: number; quantity: number }, rate: Rate): number {
  if (rate.type === 'percent') return percentOf(line.amount, rate.bps);
  return toSafeNumber(BigInt(rate.amount) * BigInt(line.quantity));
}

/**
 * How much of a line's commission is reversed once `refundedTotal` of its `amount` has been
 * refunded in all, given that `alreadyReversed` was reversed before. Computed on the running
 * total, so partial refunds that add up to the whole line reverse exactly the whole commission,
 * never a cent more or less.
 */
export function reversalFor(
  commission: number,
  lineAmount: number,
  refundedTotal: number,
  alreadyReversed: number,
): number {
  if (lineAmount <= 0) return commission - alreadyReversed;
  const refunded = Math.min(Math.max(refundedTotal, 0), lineAmount);
  const due = divideHalfEven(BigInt(commission) * BigInt(refunded), BigInt(lineAmount));
  return toSafeNumber(due) - alreadyReversed;
}

/**
 * Splits `total` over weights in proportion, exactly: the parts always add up to `total`, each
 * part is its exact share rounded down or up, and the minor units left by rounding down go to
 * the largest remainders (the earlier weight on a tie). With no positive weight, the first part
 * takes it all. The one way money is split: flat rates over an order's lines, refunds spread
 * over what is left of each line, discounts.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const T = BigInt(total);
  const W = weights.map((w) => BigInt(w));
  const S = W.reduce((a, b) => a + b, 0n);
  if (S <= 0n) return weights.map((_, i) => (i === 0 ? toSafeNumber(T) : 0));
  const parts = W.map((w) => (T * w) / S);
  const order = W.map((w, i) => ({ i, r: (T * w) % S }));
  order.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  let left = T - parts.reduce((a, b) => a + b, 0n);
  for (const { i } of order) {
    if (left <= 0n) break;
    parts[i] = (parts[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return parts.map(toSafeNumber);
}

/**
 * Spreads `amount` over what each line still has room for (`rooms`), in proportion to that room
 * and never beyond it: the part of `amount` above the rooms' sum is not placed. Used for a refund
 * given as one amount over an order's lines.
 */
export function spread(amount: number, rooms: readonly number[]): number[] {
  const open = rooms.map((r) => Math.max(r, 0));
  const room = open.reduce((a, b) => a + BigInt(b), 0n);
  if (room === 0n) return rooms.map(() => 0);
  const placed = BigInt(amount) < room ? amount : toSafeNumber(room);
  return allocate(placed, open);
}

/** A decimal string such as "1.0834" as an exact fraction. */
export function parseDecimal(text: string): { numerator: bigint; denominator: bigint } {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a decimal number: ${text}`);
  const fraction = match[3] ?? '';
  const numerator = BigInt(`${match[2]}${fraction}`) * (match[1] ? -1n : 1n);
  return { numerator, denominator: 10n ** BigInt(fraction.length) };
}

/**
 * A decimal amount as a platform sends it ("19.99", "1500", "0.125") in minor units of its
 * currency. Refuses more decimals than the currency has, rather than rounding money silently.
 */
export function decimalToMinor(text: string, currency: string): number {
  const digits = minorUnitDigits(currency);
  const { numerator, denominator } = parseDecimal(text);
  const scaled = numerator * 10n ** BigInt(digits);
  if (scaled % denominator !== 0n) {
    throw new RangeError(`${text} has more decimals than ${currency} (${digits})`);
  }
  return toSafeNumber(scaled / denominator);
}

/**
 * Converts an amount between currencies with an operator's rate ("1 unit of `from` is `rate`
 * units of `to`"), minding each currency's decimals: 10000 JPY at 0.0061 EUR → 6100 cents.
 */
export function convert(amount: number, from: string, to: string, rate: string): number {
  const { numerator, denominator } = parseDecimal(rate);
  if (numerator <= 0n) throw new RangeError(`an exchange rate must be positive, not ${rate}`);
  const shift = minorUnitDigits(to) - minorUnitDigits(from);
  const num = BigInt(amount) * numerator * (shift > 0 ? 10n ** BigInt(shift) : 1n);
  const den = denominator * (shift < 0 ? 10n ** BigInt(-shift) : 1n);
  return toSafeNumber(divideHalfEven(num, den));
}
