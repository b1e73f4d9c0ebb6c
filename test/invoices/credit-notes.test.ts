// @ts-expect-error: the package ships no types; it answers { numpages, text }
import pdfParse from 'pdf-parse/lib/pdf-parse.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signupBrand, signupCreator, startTestApp, type TestApp } from '../helpers/app.js';
import {
  approveAll,
  freshIban,
  type PayoutWorld,
  payoutWorld,
  runPayouts,
  sale,
  sepaProfile,
} from '../payouts/world.js';
import { invoicing, setBrandBilling } from './world.js';

/**
 * A failed payout's invoice is cancelled by a credit note numbered in the same series; the payout
 * that pays the entries again comes with a new invoice. The creator earns 7,334 and, being
 * VAT-registered at home, invoices 1,870 VAT on top.
 */
let t: TestApp;
type Creator = PayoutWorld['creators'][number];

const get = (token: string, url: string) => call(t.app, token, { method: 'GET', url });
const creditNote = (token: string, payoutId: string, query = 'format=json') =>
  get(token, `/api/v1/payouts/${payoutId}/credit-note?${query}`);
const fail = (w: PayoutWorld, payoutId: string) =>
  call(t.app, w.brand.token, {
    method: 'POST',
    url: `/api/v1/payouts/${payoutId}/fail`,
    payload: { code: 'bank_return', reason: 'account closed (AC04)' },
  });

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/**
 * Two creators with 73.34 € approved each, one VAT-registered in Finland and one not, paid by a
 * run: the registered creator's payout (`payoutId`) has invoice 1 and no credit note yet.
 */
async function invoicedPayout() {
  const w = await payoutWorld(t, { creators: 2 });
  const [creator, other] = w.creators as [Creator, Creator];
  await setBrandBilling(t, w.brand);
  await sepaProfile(t, creator, freshIban(), invoicing('FI', true));
  await sepaProfile(t, other, freshIban(), invoicing('FI', false));
  for (const c of w.creators) await sale(t, w, c, 73_340);
  await approveAll(t);
  const run = await runPayouts(t, w, {});
  expect(run.statusCode).toBe(201);
  const payoutId: string = run.json().data.find((p: { creatorId: string }) => p.creatorId === creator.creatorId).id;
  return { w, creator, other, payoutId };
}

/** The payout above returned by the bank: its invoice cancelled by credit note 2. */
async function failedPayout() {
  const { w, creator, other, payoutId: failedId } = await invoicedPayout();
  const failed = await fail(w, failedId);
  expect(failed.statusCode).toBe(200);
  return { w, creator, other, failedId };
}

/** The failed payout's entries paid again by a run of its creator: the new payout has invoice 3. */
async function retriedPayout() {
  const { w, creator, other, failedId } = await failedPayout();
  const run = await runPayouts(t, w, { creatorIds: { include: [creator.creatorId] } });
  expect(run.statusCode).toBe(201);
  const [retry] = run.json().data;
  return { w, creator, other, failedId, retry, retryId: retry.id as string };
}

describe('a failed payout’s credit note', () => {
  it('is issued as the payout fails: the next number of the series, citing the invoice, every amount negated', async () => {
    const { w, creator, payoutId: failedId } = await invoicedPayout();
    const before = await creditNote(w.brand.token, failedId);
    expect(before.statusCode).toBe(409);
    expect(before.json().error.code).toBe('CREDIT_NOTE_NOT_ISSUED');

    const invoice = (await get(creator.token, `/api/v1/payouts/${failedId}/invoice?format=json`)).json();
    expect(invoice).toMatchObject({ number: 1, totalAmount: 9204, creditNote: null });
    expect((await fail(w, failedId)).json()).toMatchObject({ status: 'failed' });

    const res = await creditNote(creator.token, failedId);
    expect(res.statusCode).toBe(200);
    const note = res.json();
    expect(note).toMatchObject({
      number: 2,
      series: invoice.series,
      payoutId: failedId,
      invoiceId: invoice.id,
      invoiceNumber: 1,
      netAmount: -7334,
      vatAmount: -1870,
      totalAmount: -9204,
      vatTreatment: 'vat_added',
      currency: 'EUR',
    });
    expect(note.id).toMatch(/^crn_/);
    expect(note.reason).toContain('account closed (AC04)');
    expect(note.entries.map((e: { amount: number }) => e.amount)).toEqual(
      invoice.entries.map((e: { amount: number }) => -e.amount),
    );
    const cancelled = (await get(w.brand.token, `/api/v1/payouts/${failedId}/invoice?format=json`)).json();
    expect(cancelled.creditNote).toMatchObject({ id: note.id, number: 2 });
  });

  it('renders as printable HTML and a PDF in English and in Finnish', async () => {
    const { creator, failedId } = await failedPayout();
    const en = await creditNote(creator.token, failedId, 'format=html&lang=en');
    expect(en.statusCode).toBe(200);
    expect(en.headers['content-type']).toMatch(/text\/html/);
    expect(en.body).toContain('Credit note 2');
    expect(en.body).toContain('Cancels invoice');
    expect(en.body).toContain('-€92.04');
    const fi = await creditNote(creator.token, failedId, 'format=html&lang=fi');
    expect(fi.body).toContain('Hyvityslasku 2');
    expect(fi.body).toContain('Hyvittää laskun');
    expect(fi.body).toMatch(/−92,04\s€/); // Intl writes a minus sign in Finnish
    const invoiceHtml = await get(creator.token, `/api/v1/payouts/${failedId}/invoice?format=html&lang=fi`);
    expect(invoiceHtml.body).toContain('Mitätöity hyvityslaskulla 2');
    for (const [lang, words] of [
      ['en', ['Credit note 2', 'Cancels invoice', 'Sisältö FI Tmi', 'Revontuli Active Oy']],
      ['fi', ['Hyvityslasku 2', 'Hyvittää laskun', 'Veroton summa', 'Yhteensä']],
    ] as const) {
      const pdf = await creditNote(creator.token, failedId, `format=pdf&lang=${lang}`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const text = ((await pdfParse(pdf.rawPayload)) as { text: string }).text;
      for (const word of words) expect(text).toContain(word);
    }
  });

  it('is shown only to the payout’s brand and creator: anyone else gets 404', async () => {
    const { w, other, failedId } = await failedPayout();
    const otherBrand = await signupBrand(t.app, 'Other Brand');
    const stranger = await signupCreator(t.app, 'Stranger');
    for (const token of [otherBrand.token, stranger.token, other.token]) {
      expect((await creditNote(token, failedId, 'format=html')).statusCode).toBe(404);
    }
    expect((await creditNote(w.brand.token, 'po_doesnotexist')).statusCode).toBe(404);
  });

  it('is issued once: failing the payout again is refused and numbers nothing', async () => {
    const { w, creator, failedId } = await failedPayout();
    const again = await fail(w, failedId);
    expect(again.statusCode).toBeGreaterThanOrEqual(400);
    expect((await creditNote(creator.token, failedId)).json().number).toBe(2);
  });

  it('leaves the retried payout a new invoice, numbered after the credit note, for the same entries', async () => {
    const { creator, failedId, retry, retryId } = await retriedPayout();
    expect(retry).toMatchObject({ amount: 9204, commissionAmount: 7334, vatAmount: 1870 });
    const invoice = (await get(creator.token, `/api/v1/payouts/${retryId}/invoice?format=json`)).json();
    expect(invoice).toMatchObject({ number: 3, totalAmount: 9204, creditNote: null });
    const failedInvoice = (await get(creator.token, `/api/v1/payouts/${failedId}/invoice?format=json`)).json();
    expect(invoice.entries.map((e: { commissionId: string }) => e.commissionId)).toEqual(
      failedInvoice.entries.map((e: { commissionId: string }) => e.commissionId),
    );
    const pending = await creditNote(creator.token, retryId);
    expect(pending.statusCode).toBe(409);
    expect(pending.json().error.code).toBe('CREDIT_NOTE_NOT_ISSUED');
  });

  it('numbers invoices and credit notes together without gaps, per creator and brand', async () => {
    const { w, creator, retryId } = await retriedPayout();
    await fail(w, retryId);
    expect((await creditNote(w.brand.token, retryId)).json()).toMatchObject({ number: 4, invoiceNumber: 3 });
    const invoices = (await get(creator.token, '/api/v1/invoices')).json().data as {
      number: number;
      creditNote: { number: number } | null;
    }[];
    const numbers = invoices.flatMap((i) => [i.number, ...(i.creditNote ? [i.creditNote.number] : [])]);
    expect(numbers.sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
    const balance = await get(creator.token, `/api/v1/creators/${creator.creatorId}/balance?programId=${w.programId}`);
    expect(balance.json()).toMatchObject({ approved: 7334, paid: 0 });
  });
});
