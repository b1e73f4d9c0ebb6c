/** The words of a self-billing invoice, in English and Finnish (the glossary's words). */
import type { Locale } from '../mail/kinds.js';

export interface InvoiceLabels {
  title: string;
  selfBillingNote: string;
  number: string;
  date: string;
  series: string;
  seller: string;
  buyer: string;
  businessId: string;
  vatNumber: string;
  program: string;
  period: string;
  payout: string;
  currency: string;
  columns: { date: string; order: string; description: string; amount: string };
  kinds: { sale: string; lead: string; reversal: string };
  net: string;
  vat: (rate: string) => string;
  total: string;
  treatment: { vat_added: (rate: string) => string; reverse_charge: string; not_vat_registered: string };
  status: { paid: (date: string) => string; underWay: string; failed: string };
  consent: (date: string) => string;
  method: Record<string, string>;
  creditNote: {
    title: string;
    note: string;
    number: string;
    date: string;
    credits: string;
    reason: (reason: string) => string;
    cancelledBy: (number: string, date: string) => string;
  };
}

export const invoiceLabels: Record<Locale, InvoiceLabels> = {
  en: {
    title: 'Self-billing invoice',
    selfBillingNote: 'Self-billing: issued by the buyer in the name and on behalf of the seller.',
    number: 'Invoice number',
    date: 'Invoice date',
    series: 'Numbering series',
    seller: 'Seller (creator)',
    buyer: 'Buyer (brand)',
    businessId: 'Business ID',
    vatNumber: 'VAT number',
    program: 'Program',
    period: 'Period',
    payout: 'Payout',
    currency: 'Currency paid',
    columns: { date: 'Date', order: 'Order', description: 'Description', amount: 'Amount' },
    kinds: { sale: 'Commission on a sale', lead: 'Commission on a lead', reversal: 'Refund of a paid commission' },
    net: 'Total excluding VAT',
    vat: (rate) => `VAT ${rate} %`,
    total: 'Total',
    treatment: {
      vat_added: (rate) => `VAT added at the seller's rate of ${rate} %.`,
      reverse_charge:
        'Reverse charge: the buyer accounts for the VAT (VAT Directive 2006/112/EC, Article 196). No VAT charged.',
      not_vat_registered: 'Not VAT-registered: the seller charges no VAT.',
    },
    status: {
      paid: (date) => `Paid on ${date}.`,
      underWay: 'Payment under way.',
      failed: 'Void: the payment failed and its commissions went back to the balance.',
    },
    consent: (date) => `The seller agreed to self-billing on ${date}.`,
    method: {
      sepa: 'SEPA credit transfer',
      paypal: 'PayPal',
      wise: 'Wise',
      stripe: 'Stripe transfer',
      manual: 'manual payment',
    },
    creditNote: {
      title: 'Credit note',
      note: 'Self-billing credit note: issued by the buyer in the name and on behalf of the seller, cancelling the invoice it refers to.',
      number: 'Credit note number',
      date: 'Credit note date',
      credits: 'Cancels invoice',
      reason: (reason) => `Reason: ${reason}.`,
      cancelledBy: (number, date) => `Cancelled by credit note ${number} on ${date}.`,
    },
  },
  fi: {
    title: 'Itselaskutuslasku',
    selfBillingNote: 'Itselaskutus: ostaja on laatinut laskun myyjän nimissä ja puolesta.',
    number: 'Laskun numero',
    date: 'Laskun päivämäärä',
    series: 'Numerosarja',
    seller: 'Myyjä (sisällöntuottaja)',
    buyer: 'Ostaja (brändi)',
    businessId: 'Y-tunnus',
    vatNumber: 'ALV-numero',
    program: 'Ohjelma',
    period: 'Ajanjakso',
    payout: 'Tilitys',
    currency: 'Maksuvaluutta',
    columns: { date: 'Päivä', order: 'Tilaus', description: 'Kuvaus', amount: 'Summa' },
    kinds: { sale: 'Provisio myynnistä', lead: 'Provisio liidistä', reversal: 'Maksetun provision peruutus' },
    net: 'Veroton summa',
    vat: (rate) => `ALV ${rate} %`,
    total: 'Yhteensä',
    treatment: {
      vat_added: (rate) => `ALV lisätty myyjän verokannan ${rate} % mukaan.`,
      reverse_charge:
        'Käännetty verovelvollisuus: ostaja tilittää ALV:n (arvonlisäverodirektiivi 2006/112/EY, 196 artikla). Laskuun ei sisälly ALV:tä.',
      not_vat_registered: 'Myyjä ei ole arvonlisäverovelvollinen: laskuun ei sisälly ALV:tä.',
    },
    status: {
      paid: (date) => `Maksettu ${date}.`,
      underWay: 'Maksu on käynnissä.',
      failed: 'Mitätöity: maksu epäonnistui ja sen provisiot palasivat saldoon.',
    },
    consent: (date) => `Myyjä on hyväksynyt itselaskutussopimuksen ${date}.`,
    method: {
      sepa: 'SEPA-tilisiirto',
      paypal: 'PayPal',
      wise: 'Wise',
      stripe: 'Stripe-siirto',
      manual: 'käsin maksettu',
    },
    creditNote: {
      title: 'Hyvityslasku',
      note: 'Itselaskutuksen hyvityslasku: ostaja on laatinut sen myyjän nimissä ja puolesta, ja se mitätöi laskun, johon se viittaa.',
      number: 'Hyvityslaskun numero',
      date: 'Hyvityslaskun päivämäärä',
      credits: 'Hyvittää laskun',
      reason: (reason) => `Syy: ${reason}.`,
      cancelledBy: (number, date) => `Mitätöity hyvityslaskulla ${number} ${date}.`,
    },
  },
};

/** A rate in basis points as a percentage the reader writes: 2550 → 25.5 or 25,5. */
export function ratePercent(locale: Locale, bps: number): string {
  const text = (bps / 100).toFixed(2).replace(/\.?0+$/, '');
  return locale === 'fi' ? text.replace('.', ',') : text;
}
