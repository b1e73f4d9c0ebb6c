/** English messages of self-billing invoices. */
export const enInvoices = {
  'nav.invoices': 'Invoices',
  'invoices.title': 'Self-billing invoices',
  'invoices.help':
    'Each payout has an invoice issued by the brand in the creator’s name, numbered without gaps per creator and brand.',
  'invoices.none': 'No invoices yet: one is issued with each payout.',
  'invoices.number': 'Invoice {number}',
  'invoices.html': 'Printable page',
  'invoices.cancelled': 'Cancelled by credit note {number} on {date}',
  'invoices.creditNote': 'Credit note {number}',
  'invoices.vat.vat_added': 'VAT added',
  'invoices.vat.reverse_charge': 'reverse charge',
  'invoices.vat.not_vat_registered': 'not VAT-registered',
  'invoices.vatAmount': 'of which VAT {amount}',
  'invoices.billing': 'Your invoicing details',
  'invoices.billingHelp': 'The buyer on every self-billing invoice you issue for your creators.',
  'invoices.billingComplete': 'complete',
  'invoices.billingMissing': 'needed for invoices',
  'invoices.consent': 'Self-billing agreement',
  'invoices.consentHelp':
    'Brands issue your invoices for you, in your name, with each payout. Agree once to let them: payouts wait until you have; you can see every invoice here.',
  'invoices.consentGiven': 'Agreed on {date}',
  'invoices.agree': 'I agree to self-billing',
} as const;
