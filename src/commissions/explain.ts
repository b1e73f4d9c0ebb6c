/**
 * The sentence each ledger entry carries: what was earned or taken back, and why, in words a
 * creator understands. Pure.
 */
import type { Evidence } from '../attribution/attribute.js';
import type { Rate } from '../programs/schemas.js';
import { formatAmount } from '../shared/money.js';
import type { ChosenRate } from './rules.js';

const SYMBOL_AFTER: Record<string, string> = { EUR: '€' };
const SYMBOL_BEFORE: Record<string, string> = { USD: '$', GBP: '£', CAD: 'CA$', AUD: 'A$' };

/** 1200 EUR → "12.00 €", 1200 USD → "$12.00", 1200 SEK → "12.00 SEK"; negatives with "−". */
export function money(amount: number, currency: string): string {
  const sign = amount < 0 ? '−' : '';
  const digits = formatAmount(Math.abs(amount), currency);
  const before = SYMBOL_BEFORE[currency];
  if (before) return `${sign}${before}${digits}`;
  return `${sign}${digits} ${SYMBOL_AFTER[currency] ?? currency}`;
}

/** 2000 → "20 %", 1250 → "12.5 %", 5 → "0.05 %". */
export function percent(bps: number): string {
  const whole = Math.floor(bps / 100);
  const frac = String(bps % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''} %`;
}

export interface SaleLineStory {
  commission: number;
  currency: string;
  base: number;
  quantity: number;
  lineName: string;
  chosen: ChosenRate;
  /** The discount the buyer got on this line, when known, and the code that gave it. */
  discount: { amount?: number | null; rate?: Rate | null; code?: string | null } | null;
  attribution: Evidence;
  creatorName: string;
  /** For a click: the link's slug. */
  linkSlug?: string | null;
  /** When the sale was in another currency. */
  original?: { amount: number; currency: string; rate: string } | null;
  /** Only set for a flat rate per order shared over the order's lines. */
  orderFlat?: boolean;
}

function how(e: Evidence, creatorName: string, slug: string | null | undefined): string {
  switch (e.rule) {
    case 'code':
      return `code ${e.code} of ${creatorName}`;
    case 'click': {
      const when = e.ageDays === 0 ? 'the same day' : `${e.ageDays} day${e.ageDays === 1 ? '' : 's'} before the order`;
      return `click on ${creatorName}'s link${slug ? ` ${slug}` : ''} ${when}`;
    }
    case 'customer':
      return e.via === 'subscription'
        ? `renewal of a subscription ${creatorName} brought on ${e.wonAt.slice(0, 10)}`
        : `returning customer first won by ${creatorName} on ${e.wonAt.slice(0, 10)}`;
  }
}

function sourceText(chosen: ChosenRate, currency: string): string {
  const base = {
    creator: "the creator's own rate",
    product: 'product rate',
    tier: `tier rate for over ${money(chosen.tierThreshold ?? 0, currency)} of sales this month`,
    program: 'program rate',
  }[chosen.source];
  return chosen.protectedUntil
    ? `${base} (the earlier, higher rate applies until ${chosen.protectedUntil.slice(0, 10)}: notice of a cut)`
    : base;
}

/**
 * The discount the line really got: cited as the code's configured discount only when the amount
 * the shop applied is that discount (to the minor unit per item), else as the amount applied. A
 * line whose discount the shop did not tell, or that got none, cites none: the code's configured
 * discount may not be what the order applied.
 */
function discountText(d: SaleLineStory['discount'], currency: string, base: number, quantity: number): string {
  if (!d?.amount || d.amount <= 0) return '';
  const before = base + d.amount;
  const tolerance = Math.max(1, quantity);
  if (
    d.code &&
    d.rate?.type === 'percent' &&
    Math.abs(Math.round((before * d.rate.bps) / 10_000) - d.amount) <= tolerance
  ) {
    return `, after the ${percent(d.rate.bps)} ${d.code} discount`;
  }
  if (d.code && d.rate?.type === 'flat' && Math.abs(d.rate.amount * quantity - d.amount) <= tolerance) {
    return `, after the ${money(d.rate.amount, currency)} ${d.code} discount`;
  }
  return `, after a ${money(d.amount, currency)} discount${d.code ? ` (${d.code})` : ''}`;
}

/** "12.00 € = 20 % of 60.00 € (Synergy leggings, after the 15 % DANA15 discount), code DANA15 of Dana Vaughan, product rate" */
export function explainSaleLine(s: SaleLineStory): string {
  const c = s.currency;
  const what = `${s.lineName}${discountText(s.discount, c, s.base, s.quantity)}${
    s.original ? `; sold for ${money(s.original.amount, s.original.currency)} at ${s.original.rate}` : ''
  }`;
  let arithmetic: string;
  if (s.chosen.rate.type === 'percent') {
    arithmetic = `${money(s.commission, c)} = ${percent(s.chosen.rate.bps)} of ${money(s.base, c)}`;
  } else if (s.orderFlat) {
    arithmetic = `${money(s.commission, c)} = this line's share (by amount) of ${money(s.chosen.rate.amount, c)} per order`;
  } else {
    arithmetic = `${money(s.commission, c)} = ${money(s.chosen.rate.amount, c)} × ${s.quantity}`;
  }
  return `${arithmetic} (${what}), ${how(s.attribution, s.creatorName, s.linkSlug)}, ${sourceText(s.chosen, c)}`;
}

export function explainLead(s: {
  reward: number;
  currency: string;
  leadId: string;
  attribution: Evidence;
  creatorName: string;
  linkSlug?: string | null;
}): string {
  return `${money(s.reward, s.currency)} for a lead (${s.leadId}), ${how(s.attribution, s.creatorName, s.linkSlug)}, lead reward of the program`;
}

/** "−6.00 € reversed: 30.00 € of Synergy leggings refunded (refund re_123)" */
/** "3.60 € = 20 % of the 18.00 € that Sports socks went up by when order 727 was edited" */
export function explainEdit(s: {
  amount: number;
  currency: string;
  added: number;
  lineName: string;
  rate: Rate;
  orderId: string;
  newLine: boolean;
}): string {
  const rate = s.rate.type === 'percent' ? percent(s.rate.bps) : money(s.rate.amount, s.currency);
  return s.newLine
    ? `${money(s.amount, s.currency)} = ${rate} of ${money(s.added, s.currency)} (${s.lineName}, added when order ${s.orderId} was edited)`
    : `${money(s.amount, s.currency)} = ${rate} of the ${money(s.added, s.currency)} that ${s.lineName} went up by when order ${s.orderId} was edited`;
}

export function explainReversal(s: {
  amount: number;
  currency: string;
  refunded: number;
  lineAmount: number;
  lineName: string;
  refundId: string;
  wasPaid: boolean;
}): string {
  const whole = s.refunded >= s.lineAmount;
  const what = whole
    ? `all of ${s.lineName} (${money(s.lineAmount, s.currency)})`
    : `${money(s.refunded, s.currency)} of ${s.lineName}`;
  const paid = s.wasPaid ? '; the commission was already paid, so the next payout deducts this' : '';
  if (s.refundId.startsWith('edit:')) {
    return `${money(s.amount, s.currency)} reversed: ${whole ? `all of ${s.lineName}` : `${money(s.refunded, s.currency)} of ${s.lineName}`} taken off when the order was edited (${s.refundId})${paid}`;
  }
  return `${money(s.amount, s.currency)} reversed: ${what} refunded (refund ${s.refundId})${paid}`;
}
