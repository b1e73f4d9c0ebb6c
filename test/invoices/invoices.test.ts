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
import { brandBilling, consent, invoicing, requireSelfBilling, setBrandBilling } from './world.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const invoiceOf = (token: string, payoutId: string, query = 'format=json') =>
  call(t.app, token, { method: 'GET', url: `/api/v1/payouts/${payoutId}/invoice?${query}` });

async function pdfText(body: Buffer): Promise<string> {
  const parsed = (await pdfParse(body)) as { numpages: number; text: string };
  expect(parsed.numpages).toBeGreaterThanOrEqual(1);
  return parsed.text;
}

/**
 * Four creators with 733.35 € approved each (two sales) in a program that requires invoices: one
 * VAT-registered in Finland, one in Germany, one not registered, and one that has not agreed to
 * self-billing. The brand has not given its invoicing details yet.
 */
async function invoicingWorld(): Promise<PayoutWorld> {
  const w = await payoutWorld(t, { creators: 4, selfBillingConsent: false });
  await requireSelfBilling(t, w.brand, w.programId);
  const [fi, de, unregistered, noConsent] = w.creators as [
    PayoutWorld['creators'][0],
    PayoutWorld['creators'][0],
    PayoutWorld['creators'][0],
    PayoutWorld['creators'][0],
  ];
  await sepaProfile(t, fi, freshIban(), invoicing('FI', true));
  await sepaProfile(t, de, freshIban(), invoicing('DE', true));
  await sepaProfile(t, unregistered, freshIban(), invoicing('FI', false));
  await sepaProfile(t, noConsent, freshIban(), invoicing('FI', false));
  for (const c of [fi, de, unregistered]) expect((await consent(t, c)).statusCode).toBe(201);
  for (const c of w.creators) {
    await sale(t, w, c, 60_000);
    await sale(t, w, c, 13_335);
  }
  await approveAll(t);
  return w;
}

/** The world above with the brand's invoicing details given and a run made: its answer and each creator's payout. */
async function invoicedWorld() {
  const w = await invoicingWorld();
  await setBrandBilling(t, w.brand);
  const run = await runPayouts(t, w, {});
  const payoutOf = new Map<string, string>();
  for (const p of run.json().data ?? []) payoutOf.set(p.creatorId, p.id);
  return { w, run, payoutOf };
}

describe('a run of a program that requires invoices', () => {
  it('is refused until the brand has given its invoicing details', async () => {
    const w = await invoicingWorld();
    const res = await runPayouts(t, w, {});
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('BRAND_BILLING_DETAILS_MISSING');
    const billing = await setBrandBilling(t, w.brand);
    expect(billing).toMatchObject({ legalName: brandBilling.legalName, vatNumber: 'FI12345678', complete: true });
  });
});

describe('self-billing invoices', () => {
  let w: PayoutWorld;
  let run: Awaited<ReturnType<typeof runPayouts>>;
  let payoutOf: Map<string, string>;

  beforeAll(async () => {
    ({ w, run, payoutOf } = await invoicedWorld());
  });

  it('pays the creators who agreed, blocks the one who did not with the reason, and numbers each invoice 1', async () => {
    expect(run.statusCode).toBe(201);
    const body = run.json();
    const [fi, de, unregistered, noConsent] = w.creators as PayoutWorld['creators'];
    expect(body.blocked.map((b: { creatorId: string; reason: string }) => [b.creatorId, b.reason])).toEqual([
      [noConsent?.creatorId, 'self_billing_consent_missing'],
    ]);
    expect([...payoutOf.keys()].sort()).toEqual([fi, de, unregistered].map((c) => c?.creatorId).sort());
    for (const c of [fi, de, unregistered]) {
      const inv = await invoiceOf(c?.token ?? '', payoutOf.get(c?.creatorId ?? '') ?? '');
      expect(inv.statusCode).toBe(200);
      expect(inv.json().number).toBe(1);
      expect(inv.json().entries).toHaveLength(2);
      expect(inv.json().netAmount).toBe(7334); // 6000 + 1333.5 → 1334 (half to even)
    }
  });

  it('adds VAT at the creator’s rate at home, reverse-charges across EU borders, and adds none when not registered', async () => {
    const [fi, de, unregistered] = w.creators as PayoutWorld['creators'];
    const get = async (c: (typeof w.creators)[0] | undefined) =>
      (await invoiceOf(w.brand.token, payoutOf.get(c?.creatorId ?? '') ?? '')).json();
    const home = await get(fi);
    expect(home).toMatchObject({ vatTreatment: 'vat_added', vatRateBps: 2550, vatAmount: 1870, totalAmount: 9204 });
    expect(home.seller).toMatchObject({ name: 'Sisältö FI Tmi', vatNumber: 'FI99887766', vatRegistered: true });
    expect(home.buyer).toMatchObject({ name: brandBilling.legalName, vatNumber: 'FI12345678', country: 'FI' });
    const abroad = await get(de);
    expect(abroad).toMatchObject({ vatTreatment: 'reverse_charge', vatRateBps: 0, vatAmount: 0, totalAmount: 7334 });
    const none = await get(unregistered);
    expect(none).toMatchObject({ vatTreatment: 'not_vat_registered', vatAmount: 0, totalAmount: 7334 });
  });

  it('renders printable HTML and a PDF in English and in Finnish', async () => {
    const [fi, de] = w.creators as PayoutWorld['creators'];
    const fiPayout = payoutOf.get(fi?.creatorId ?? '') ?? '';
    const en = await invoiceOf(fi?.token ?? '', fiPayout, 'format=html&lang=en');
    expect(en.headers['content-type']).toMatch(/text\/html/);
    expect(en.body).toContain('Self-billing invoice 1');
    expect(en.body).toContain('VAT 25.5 %');
    expect(en.body).toContain('€92.04');
    const fiHtml = await invoiceOf(fi?.token ?? '', fiPayout, 'format=html&lang=fi');
    expect(fiHtml.body).toContain('Itselaskutuslasku 1');
    expect(fiHtml.body).toContain('ALV 25,5 %');
    expect(fiHtml.body).toContain('Y-tunnus');
    const rc = await invoiceOf(de?.token ?? '', payoutOf.get(de?.creatorId ?? '') ?? '', 'format=html&lang=fi');
    expect(rc.body).toContain('Käännetty verovelvollisuus');

    for (const [lang, words] of [
      ['en', ['Self-billing invoice 1', 'Sisältö FI Tmi', 'Revontuli Active Oy', 'Total excluding VAT']],
      ['fi', ['Itselaskutuslasku 1', 'Veroton summa', 'Yhteensä', 'itselaskutussopimuksen']],
    ] as const) {
      const pdf = await invoiceOf(fi?.token ?? '', fiPayout, `format=pdf&lang=${lang}`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      const text = await pdfText(pdf.rawPayload);
      for (const word of words) expect(text).toContain(word);
    }
  });

  it('shows an invoice only to its brand and its creator: anyone else gets 404', async () => {
    const [fi, de] = w.creators as PayoutWorld['creators'];
    const id = payoutOf.get(fi?.creatorId ?? '') ?? '';
    const other = await signupBrand(t.app, 'Other Brand');
    const stranger = await signupCreator(t.app, 'Stranger');
    for (const token of [other.token, stranger.token, de?.token ?? '']) {
      const res = await invoiceOf(token, id, 'format=html');
      expect(res.statusCode).toBe(404);
    }
    const mine = await call(t.app, fi?.token ?? '', { method: 'GET', url: '/api/v1/invoices' });
    expect(mine.json().data.map((i: { payoutId: string }) => i.payoutId)).toEqual([id]);
    const brands = await call(t.app, w.brand.token, { method: 'GET', url: '/api/v1/invoices?limit=2' });
    expect(brands.json().data).toHaveLength(2);
    expect(brands.json().nextCursor).not.toBeNull();
    const others = await call(t.app, other.token, { method: 'GET', url: '/api/v1/invoices' });
    expect(others.json().data).toEqual([]);
  });

  it('records consent once: giving it again answers the first consent', async () => {
    const [fi] = w.creators as PayoutWorld['creators'];
    const first = await call(t.app, fi?.token ?? '', {
      method: 'GET',
      url: '/api/v1/creators/me/self-billing-consent',
    });
    const again = await consent(t, fi ?? { token: '' });
    expect(again.statusCode).toBe(200);
    expect(again.json().givenAt).toBe(first.json().givenAt);
    const bad = await call(t.app, fi?.token ?? '', {
      method: 'POST',
      url: '/api/v1/creators/me/self-billing-consent',
      payload: { agree: false },
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('the next payouts', () => {
  it('numbers the next payout’s invoice 2, and pays no creator without consent, whatever the program requires', async () => {
    const { w } = await invoicedWorld();
    const [fi, , , noConsent] = w.creators as PayoutWorld['creators'];
    await sale(t, w, fi ?? { code: '' }, 70_000);
    await approveAll(t);
    const res = await runPayouts(t, w, { creatorIds: { include: [fi?.creatorId] } });
    expect(res.statusCode).toBe(201);
    const inv = await invoiceOf(fi?.token ?? '', res.json().data[0].id);
    expect(inv.json().number).toBe(2);
    expect(inv.json().entries).toHaveLength(1);
    // Every payout has its invoice: a program that does not require full invoicing details still
    // pays a creator only once it has agreed to self-billing, and then with the invoice.
    await call(t.app, w.brand.token, {
      method: 'PUT',
      url: `/api/v1/programs/${w.programId}/payout-settings`,
      payload: { requireSelfBilling: false },
    });
    const held = await runPayouts(t, w, { creatorIds: { include: [noConsent?.creatorId] } });
    expect(held.json().data).toHaveLength(0);
    expect(held.json().blocked.map((b: { reason: string }) => b.reason)).toEqual(['self_billing_consent_missing']);
    await consent(t, noConsent ?? { token: '' });
    const paid = await runPayouts(t, w, { creatorIds: { include: [noConsent?.creatorId] } });
    expect(paid.json().data).toHaveLength(1);
    const first = await invoiceOf(noConsent?.token ?? '', paid.json().data[0].id);
    expect(first.statusCode).toBe(200);
    expect(first.json().number).toBe(1);
  });
});
