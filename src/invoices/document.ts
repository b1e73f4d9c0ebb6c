/**
 * An invoice laid out once as lines and a table, in the reader's language: the printable HTML
 * page and the PDF both draw this, so they always say the same.
 */
import { day, money } from '../mail/format.js';
import type { Locale } from '../mail/kinds.js';
import { invoiceLabels, ratePercent } from './labels.js';
import type { CreditNote, Invoice } from './schemas.js';

export interface InvoiceLayout {
  lang: Locale;
  title: string;
  note: string;
  facts: [string, string][];
  parties: { heading: string; lines: string[] }[];
  columns: [string, string, string, string];
  rows: [string, string, string, string][];
  totals: [string, string][];
  notes: string[];
}

type Party = Invoice['buyer'] & { vatRegistered?: boolean };

function partyLines(p: Party, l: (typeof invoiceLabels)['en']): string[] {
  const lines = [p.name];
  if (p.address) {
    lines.push(p.address.line1);
    if (p.address.line2) lines.push(p.address.line2);
    lines.push(`${p.address.postalCode} ${p.address.city}${p.address.region ? `, ${p.address.region}` : ''}`);
    lines.push(p.address.country);
  } else if (p.country) lines.push(p.country);
  if (p.businessId) lines.push(`${l.businessId}: ${p.businessId}`);
  if (p.vatNumber) lines.push(`${l.vatNumber}: ${p.vatNumber}`);
  return lines;
}

export function layoutInvoice(inv: Invoice, lang: Locale): InvoiceLayout {
  const l = invoiceLabels[lang];
  const m = (amount: number) => money(lang, amount, inv.currency);
  const rate = ratePercent(lang, inv.vatRateBps);
  const facts: [string, string][] = [
    [l.number, String(inv.number)],
    [l.date, day(lang, inv.issuedAt)],
    [l.series, inv.series],
    [l.program, inv.program.name],
    [l.period, inv.period.from && inv.period.to ? `${day(lang, inv.period.from)} – ${day(lang, inv.period.to)}` : '–'],
    [l.payout, `${inv.payout.id} (${l.method[inv.payout.method] ?? inv.payout.method})`],
    [l.currency, inv.currency],
  ];
  const totals: [string, string][] = [[l.net, m(inv.netAmount)]];
  if (inv.vatTreatment === 'vat_added') totals.push([l.vat(rate), m(inv.vatAmount)]);
  totals.push([l.total, m(inv.totalAmount)]);
  const notes = [
    inv.vatTreatment === 'vat_added' ? l.treatment.vat_added(rate) : l.treatment[inv.vatTreatment],
    inv.payout.status === 'paid' && inv.payout.paidAt
      ? l.status.paid(day(lang, inv.payout.paidAt))
      : inv.payout.status === 'failed'
        ? l.status.failed
        : l.status.underWay,
  ];
  if (inv.creditNote)
    notes.push(l.creditNote.cancelledBy(String(inv.creditNote.number), day(lang, inv.creditNote.issuedAt)));
  if (inv.consentGivenAt) notes.push(l.consent(day(lang, inv.consentGivenAt)));
  return {
    lang,
    title: `${l.title} ${inv.number}`,
    note: l.selfBillingNote,
    facts,
    parties: [
      { heading: l.seller, lines: partyLines(inv.seller, l) },
      { heading: l.buyer, lines: partyLines(inv.buyer, l) },
    ],
    columns: [l.columns.date, l.columns.order, l.columns.description, l.columns.amount],
    rows: inv.entries.map((e) => [day(lang, e.at), e.orderId ?? '', l.kinds[e.kind], m(e.amount)]),
    totals,
    notes,
  };
}

/**
 * A credit note laid out as its invoice is, with its own title, number and date, the invoice it
 * cancels, the reason, and every amount negated.
 */
export function layoutCreditNote(note: CreditNote, lang: Locale): InvoiceLayout {
  const l = invoiceLabels[lang];
  const base = layoutInvoice({ ...note, creditNote: null }, lang);
  const [, , ...rest] = base.facts;
  return {
    ...base,
    title: `${l.creditNote.title} ${note.number}`,
    note: l.creditNote.note,
    facts: [
      [l.creditNote.number, String(note.number)],
      [l.creditNote.date, day(lang, note.issuedAt)],
      [l.creditNote.credits, `${note.invoiceNumber} (${day(lang, note.invoiceIssuedAt)})`],
      ...rest,
    ],
    notes: [l.creditNote.reason(note.reason), ...base.notes],
  };
}
