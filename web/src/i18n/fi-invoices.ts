import type { enInvoices } from './en-invoices.js';

/** Finnish messages of self-billing invoices. */
export const fiInvoices: Record<keyof typeof enInvoices, string> = {
  'nav.invoices': 'Laskut',
  'invoices.title': 'Itselaskutuslaskut',
  'invoices.help':
    'Jokaisesta tilityksestä brändi laatii laskun sisällöntuottajan nimissä, numeroituna aukottomasti sisällöntuottajittain ja brändeittäin.',
  'invoices.none': 'Ei vielä laskuja: lasku laaditaan jokaisen tilityksen yhteydessä.',
  'invoices.number': 'Lasku {number}',
  'invoices.html': 'Tulostettava sivu',
  'invoices.cancelled': 'Mitätöity hyvityslaskulla {number} {date}',
  'invoices.creditNote': 'Hyvityslasku {number}',
  'invoices.vat.vat_added': 'ALV lisätty',
  'invoices.vat.reverse_charge': 'käännetty verovelvollisuus',
  'invoices.vat.not_vat_registered': 'ei arvonlisäverovelvollinen',
  'invoices.vatAmount': 'josta ALV {amount}',
  'invoices.billing': 'Laskutustietosi',
  'invoices.billingHelp': 'Ostaja jokaisessa itselaskutuslaskussa, jonka laadit sisällöntuottajillesi.',
  'invoices.billingComplete': 'valmis',
  'invoices.billingMissing': 'tarvitaan laskuihin',
  'invoices.consent': 'Itselaskutussopimus',
  'invoices.consentHelp':
    'Brändit laativat laskusi puolestasi, sinun nimissäsi, jokaisen tilityksen yhteydessä. Hyväksy tämä kerran: tilitykset odottavat hyväksyntääsi. Näet jokaisen laskun täällä.',
  'invoices.consentGiven': 'Hyväksytty {date}',
  'invoices.agree': 'Hyväksyn itselaskutuksen',
};
