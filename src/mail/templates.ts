/**
 * The emails' words, in English and Finnish (the glossary's words), and their rendering to plain
 * text and to HTML from one list of paragraphs. Every piece of user text is escaped in the HTML.
 */
import { day, escapeHtml, money } from './format.js';
import type { EmailKind, Locale } from './kinds.js';

export interface EmailData {
  invitation: {
    brandName: string;
    programName: string;
    message: string | null;
    url: string;
  };
  email_verification: { name: string; url: string; validHours: number };
  password_reset: { name: string; url: string; validMinutes: number };
  /** Someone signed up with an address that already has an account. */
  signup_attempt: { name: string; loginUrl: string; resetUrl: string };
  payout_sent: {
    name: string;
    brandName: string;
    programName: string;
    amount: number;
    currency: string;
    method: string;
    reference: string | null;
    paidAt: string;
    url: string;
  };
  payout_failed: {
    name: string;
    brandName: string;
    programName: string;
    amount: number;
    currency: string;
    reason: string;
    url: string;
  };
  commission_approved: {
    name: string;
    programName: string;
    count: number;
    amount: number;
    currency: string;
  };
  tax_details_missing: {
    name: string;
    brandName: string;
    programName: string;
    missing: string;
    url: string;
  };
}

interface Draft {
  subject: string;
  paragraphs: string[];
  action?: { label: string; url: string };
}

type Catalogue = { [K in EmailKind]: (d: EmailData[K], locale: Locale) => Draft };

const methodNames: Record<Locale, Record<string, string>> = {
  en: { sepa: 'bank transfer (SEPA)', paypal: 'PayPal', wise: 'Wise', stripe: 'Stripe', manual: 'manual payment' },
  fi: { sepa: 'tilisiirto (SEPA)', paypal: 'PayPal', wise: 'Wise', stripe: 'Stripe', manual: 'erillinen maksu' },
};

const en: Catalogue = {
  invitation: (d) => ({
    subject: `${d.brandName} invites you to ${d.programName}`,
    paragraphs: [
      `Hi,`,
      `${d.brandName} invites you to join its affiliate program ${d.programName} on Kumppani. As a member you get tracked links and coupon codes, and a commission on every sale they bring.`,
      ...(d.message ? [`Their message: “${d.message}”`] : []),
      `Sign in or sign up with this email address to accept or decline the invitation.`,
    ],
    action: { label: 'See the invitation', url: d.url },
  }),
  email_verification: (d) => ({
    subject: 'Confirm your email address',
    paragraphs: [
      `Hi ${d.name},`,
      `Please confirm that this is your email address. The link is valid for ${d.validHours} hours.`,
      `If you did not sign up for Kumppani, you can ignore this email.`,
    ],
    action: { label: 'Confirm my email address', url: d.url },
  }),
  password_reset: (d) => ({
    subject: 'Reset your password',
    paragraphs: [
      `Hi ${d.name},`,
      `Someone asked to reset the password of your Kumppani account. The link below is valid for ${d.validMinutes} minutes and works once; setting a new password signs you out everywhere.`,
      `If it was not you, ignore this email: your password stays as it is.`,
    ],
    action: { label: 'Set a new password', url: d.url },
  }),
  signup_attempt: (d) => ({
    subject: 'Someone tried to sign up with your email address',
    paragraphs: [
      `Hi ${d.name},`,
      `Someone just tried to sign up for Kumppani with this email address, which already has an account. No new account was made and nothing changed in yours.`,
      `If it was you, sign in instead; if you have forgotten your password, set a new one: ${d.resetUrl}`,
      `If it was not you, you can ignore this email.`,
    ],
    action: { label: 'Sign in', url: d.loginUrl },
  }),
  payout_sent: (d, l) => ({
    subject: `Payout of ${money(l, d.amount, d.currency)} sent`,
    paragraphs: [
      `Hi ${d.name},`,
      `${d.brandName} has paid you ${money(l, d.amount, d.currency)} from ${d.programName} by ${methodNames[l][d.method] ?? d.method} on ${day(l, d.paidAt)}.`,
      ...(d.reference ? [`Payment reference: ${d.reference}`] : []),
      `The payout's self-billing invoice and your statement are in your Kumppani account.`,
    ],
    action: { label: 'See my payouts', url: d.url },
  }),
  payout_failed: (d, l) => ({
    subject: `Your payout of ${money(l, d.amount, d.currency)} could not be paid`,
    paragraphs: [
      `Hi ${d.name},`,
      `Your payout of ${money(l, d.amount, d.currency)} from ${d.programName} (${d.brandName}) failed: ${d.reason}`,
      `The money is back in your approved balance and goes out with the next payout. Please check your payout details.`,
    ],
    action: { label: 'See my payouts', url: d.url },
  }),
  commission_approved: (d, l) => ({
    subject: `${money(l, d.amount, d.currency)} of commission approved`,
    paragraphs: [
      `Hi ${d.name},`,
      d.count === 1
        ? `One commission of ${money(l, d.amount, d.currency)} in ${d.programName} has passed its holding period and is approved.`
        : `${d.count} commissions of ${money(l, d.amount, d.currency)} in all in ${d.programName} have passed their holding period and are approved.`,
      `Approved commissions are paid with the program's next payout once your balance reaches its minimum.`,
    ],
  }),
  tax_details_missing: (d) => ({
    subject: `Add your payout details to be paid by ${d.brandName}`,
    paragraphs: [
      `Hi ${d.name},`,
      `${d.programName} cannot pay you yet: ${d.missing}`,
      `Your commissions are kept until then and nothing is lost.`,
    ],
    action: { label: 'Add my payout details', url: d.url },
  }),
};

const fi: Catalogue = {
  invitation: (d) => ({
    subject: `${d.brandName} kutsuu sinut kumppaniohjelmaan ${d.programName}`,
    paragraphs: [
      `Hei,`,
      `${d.brandName} kutsuu sinut kumppaniohjelmaansa ${d.programName} Kumppanissa. Jäsenenä saat omat seurantalinkit ja alennuskoodit sekä provision jokaisesta niiden tuomasta myynnistä.`,
      ...(d.message ? [`Brändin viesti: ”${d.message}”`] : []),
      `Kirjaudu sisään tai rekisteröidy tällä sähköpostiosoitteella hyväksyäksesi tai hylätäksesi kutsun.`,
    ],
    action: { label: 'Katso kutsu', url: d.url },
  }),
  email_verification: (d) => ({
    subject: 'Vahvista sähköpostiosoitteesi',
    paragraphs: [
      `Hei ${d.name},`,
      `Vahvista, että tämä on sähköpostiosoitteesi. Linkki on voimassa ${d.validHours} tuntia.`,
      `Jos et rekisteröitynyt Kumppaniin, voit jättää tämän viestin huomiotta.`,
    ],
    action: { label: 'Vahvista sähköpostiosoite', url: d.url },
  }),
  password_reset: (d) => ({
    subject: 'Salasanan vaihto',
    paragraphs: [
      `Hei ${d.name},`,
      `Kumppani-tilisi salasanan vaihtoa pyydettiin. Alla oleva linkki on voimassa ${d.validMinutes} minuuttia ja toimii kerran; uusi salasana kirjaa sinut ulos kaikkialta.`,
      `Jos pyyntö ei ollut sinun, jätä viesti huomiotta: salasanasi pysyy ennallaan.`,
    ],
    action: { label: 'Aseta uusi salasana', url: d.url },
  }),
  signup_attempt: (d) => ({
    subject: 'Sähköpostiosoitteellasi yritettiin rekisteröityä',
    paragraphs: [
      `Hei ${d.name},`,
      `Joku yritti juuri rekisteröityä Kumppaniin tällä sähköpostiosoitteella, jolla on jo tili. Uutta tiliä ei tehty, eikä tilissäsi muuttunut mitään.`,
      `Jos se olit sinä, kirjaudu sisään; jos olet unohtanut salasanasi, aseta uusi: ${d.resetUrl}`,
      `Jos se et ollut sinä, voit jättää viestin huomiotta.`,
    ],
    action: { label: 'Kirjaudu sisään', url: d.loginUrl },
  }),
  payout_sent: (d, l) => ({
    subject: `Tilitys ${money(l, d.amount, d.currency)} on maksettu`,
    paragraphs: [
      `Hei ${d.name},`,
      `${d.brandName} maksoi sinulle ${day(l, d.paidAt)} tilityksen ${money(l, d.amount, d.currency)} kumppaniohjelmasta ${d.programName}. Maksutapa: ${methodNames[l][d.method] ?? d.method}.`,
      ...(d.reference ? [`Maksun viite: ${d.reference}`] : []),
      `Tilityksen itselaskutuslasku ja raporttisi löytyvät Kumppani-tililtäsi.`,
    ],
    action: { label: 'Katso tilitykset', url: d.url },
  }),
  payout_failed: (d, l) => ({
    subject: `Tilitystä ${money(l, d.amount, d.currency)} ei voitu maksaa`,
    paragraphs: [
      `Hei ${d.name},`,
      `Tilityksesi ${money(l, d.amount, d.currency)} kumppaniohjelmasta ${d.programName} (${d.brandName}) epäonnistui: ${d.reason}`,
      `Rahat ovat palanneet hyväksyttyyn saldoosi ja maksetaan seuraavassa tilityksessä. Tarkista maksutietosi.`,
    ],
    action: { label: 'Katso tilitykset', url: d.url },
  }),
  commission_approved: (d, l) => ({
    subject: `Provisiota hyväksytty ${money(l, d.amount, d.currency)}`,
    paragraphs: [
      `Hei ${d.name},`,
      d.count === 1
        ? `Yksi provisio (${money(l, d.amount, d.currency)}) kumppaniohjelmassa ${d.programName} on ohittanut pidätysajan ja on hyväksytty.`
        : `${d.count} provisiota, yhteensä ${money(l, d.amount, d.currency)}, kumppaniohjelmassa ${d.programName} ovat ohittaneet pidätysajan ja ovat hyväksyttyjä.`,
      `Hyväksytyt provisiot maksetaan ohjelman seuraavassa tilityksessä, kun saldosi ylittää vähimmäistilityksen.`,
    ],
  }),
  tax_details_missing: (d) => ({
    subject: `Lisää maksutietosi saadaksesi tilityksen brändiltä ${d.brandName}`,
    paragraphs: [
      `Hei ${d.name},`,
      `Kumppaniohjelma ${d.programName} ei voi vielä maksaa sinulle: ${d.missing}`,
      `Provisiosi säilyvät siihen asti, eikä mitään menetetä.`,
    ],
    action: { label: 'Lisää maksutiedot', url: d.url },
  }),
};

const catalogues: Record<Locale, Catalogue> = { en, fi };

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export function renderEmail<K extends EmailKind>(kind: K, locale: Locale, data: EmailData[K]): RenderedEmail {
  const draft = (catalogues[locale][kind] as (d: EmailData[K], l: Locale) => Draft)(data, locale);
  const text = [...draft.paragraphs, ...(draft.action ? [`${draft.action.label}: ${draft.action.url}`] : [])].join(
    '\n\n',
  );
  const body = draft.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  const action = draft.action
    ? `\n<p><a href="${escapeHtml(draft.action.url)}" style="display:inline-block;padding:10px 16px;background:#1f4e5f;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(draft.action.label)}</a></p>`
    : '';
  const html =
    `<!doctype html>\n<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(draft.subject)}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1b1b1b;max-width:560px">\n${body}${action}\n</body></html>\n`;
  return { subject: draft.subject, text: `${text}\n`, html };
}
