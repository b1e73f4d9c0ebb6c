import { formatAmount } from '../shared/money.js';

/**
 * Batch files for PayPal Payouts and Wise, in the column layouts their upload pages take.
 *
 * PayPal (Payouts Web, "Send payouts from a .csv file"): no header row; each row is recipient
 * (email), amount, currency, customer id (at most 30 characters, no spaces), note to the
 * recipient, wallet (PAYPAL). One currency per file.
 *
 * Wise (batch payments, "send to bank accounts" / "send by email" templates): a header row with
 * Wise's column names; the amount is in the source currency (amountCurrency "source") unless the
 * creator is paid in the program's own currency, when it is the target amount.
 */

/** A CSV field: quoted when it holds a comma, quote or line break; a leading =, +, - or @ is defused. */
export function csvField(value: string): string {
  let v = value.replace(/[\r\n]+/g, ' ');
  if (/^[=+\-@\t]/.test(v)) v = `'${v}`;
  return /[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const row = (fields: string[]) => `${fields.map(csvField).join(',')}\r\n`;

export interface PaypalRow {
  email: string;
  amount: number;
  currency: string;
  customerId: string;
  note: string;
}

export function paypalRow(r: PaypalRow): string {
  return row([
    r.email,
    formatAmount(r.amount, r.currency),
    r.currency,
    r.customerId.replace(/\s/g, '').slice(0, 30),
    r.note.slice(0, 400),
    'PAYPAL',
  ]);
}

export const wiseHeader = row([
  'name',
  'recipientEmail',
  'paymentReference',
  'receiverType',
  'amountCurrency',
  'amount',
  'sourceCurrency',
  'targetCurrency',
  'type',
  'IBAN',
  'BIC',
]);

export interface WiseRow {
  name: string;
  email: string | undefined;
  iban: string | undefined;
  bic: string | undefined;
  reference: string;
  business: boolean;
  amount: number;
  sourceCurrency: string;
  targetCurrency: string;
}

export function wiseRow(r: WiseRow): string {
  const byEmail = !r.iban;
  return row([
    r.name,
    r.email ?? '',
    // Wise shows at most 10 characters of a reference on many routes; it keeps up to 35 (payout id).
    r.reference.slice(0, 35),
    r.business ? 'BUSINESS' : 'PERSON',
    r.sourceCurrency === r.targetCurrency ? 'target' : 'source',
    formatAmount(r.amount, r.sourceCurrency),
    r.sourceCurrency,
    r.targetCurrency,
    byEmail ? 'EMAIL' : 'IBAN',
    r.iban ?? '',
    r.bic ?? '',
  ]);
}
