import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from '../helpers/app.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { approveAll, freshIban, type PayoutWorld, payoutWorld, runPayouts, sale, sepaProfile } from './world.js';

/** The money notices a payout sends, delivered over the wire to a real SMTP server started here. */
let smtp: TestSmtp;
let t: TestApp;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ config: { mail: { smtpUrl: smtp.url, from: 'Kumppani <no-reply@kumppani.example>' } } });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

/** The web app's routes, read from its source: every link in an email must lead to one of them. */
const appRoutes = [
  ...readFileSync(new URL('../../web/src/app.tsx', import.meta.url), 'utf8').matchAll(/path="([^"]+)"/g),
]
  .map((m) => m[1])
  .filter((p): p is string => Boolean(p) && p !== '*');

function appLinks(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s"<>]+\/app(\/[^\s"<>?]*)/g)].map((m) => m[1] ?? '');
}

const kindTo = (email: string, subject: RegExp) => (m: { envelopeTo: string[]; parsed: { subject?: string } }) =>
  m.envelopeTo.includes(email) && subject.test(m.parsed.subject ?? '');

/** Three creators with 80.00 € approved in a program that needs invoicing details; the third has none. */
async function noticesWorld(): Promise<PayoutWorld> {
  const w = await payoutWorld(t, { creators: 3 });
  const res = await call(t.app, w.brand.token, {
    method: 'PUT',
    url: `/api/v1/programs/${w.programId}/payout-settings`,
    payload: { requireInvoicingDetails: true },
  });
  expect(res.statusCode).toBe(200);
  const invoicing = {
    legalName: 'Tili Oy',
    address: { line1: 'Katu 1', postalCode: '00100', city: 'Helsinki', country: 'FI' },
  };
  const [paid, failed, missing] = w.creators;
  await sepaProfile(t, paid ?? { token: '' }, freshIban(), invoicing);
  await sepaProfile(t, failed ?? { token: '' }, freshIban(), invoicing);
  await sepaProfile(t, missing ?? { token: '' }, freshIban());
  for (const c of w.creators) await sale(t, w, c, 80_000);
  await approveAll(t);
  return w;
}

describe('money notices from payouts', () => {
  it('tells a creator blocked for missing details what the program needs, with a link to a page that exists', async () => {
    const w = await noticesWorld();
    const run = await runPayouts(t, w, {});
    expect(run.statusCode).toBe(201);
    const [paid, failed, missing] = w.creators;
    expect(run.json().blocked.map((b: { creatorId: string }) => b.creatorId)).toEqual([missing?.creatorId]);
    const mail = await smtp.waitFor(kindTo(missing?.email ?? '', /payout details/));
    expect(mail.parsed.text).toContain('legal name, address and country');
    const links = appLinks(mail.parsed.text ?? '');
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(appRoutes).toContain(l);

    const byCreator = new Map<string, string>(
      run.json().data.map((p: { creatorId: string; id: string }) => [p.creatorId, p.id]),
    );
    const ok = await call(t.app, w.brand.token, {
      method: 'POST',
      url: `/api/v1/payouts/${byCreator.get(paid?.creatorId ?? '')}/mark-paid`,
      payload: { reference: 'RF18539007547034' },
    });
    expect(ok.statusCode).toBe(200);
    const sent = await smtp.waitFor(kindTo(paid?.email ?? '', /^Payout of .* sent$/));
    expect(sent.parsed.subject).toContain('€80.00');
    expect(sent.parsed.text).toContain('RF18539007547034');
    for (const l of appLinks(sent.parsed.text ?? '')) expect(appRoutes).toContain(l);

    const bad = await call(t.app, w.brand.token, {
      method: 'POST',
      url: `/api/v1/payouts/${byCreator.get(failed?.creatorId ?? '')}/fail`,
      payload: { code: 'bank_return', reason: 'account closed (AC04)' },
    });
    expect(bad.statusCode).toBe(200);
    const gone = await smtp.waitFor(kindTo(failed?.email ?? '', /could not be paid/));
    expect(gone.parsed.text).toContain('the bank returned the transfer: account closed (AC04)');
    expect(appLinks(gone.parsed.text ?? '').length).toBeGreaterThan(0);
    for (const l of appLinks(gone.parsed.text ?? '')) expect(appRoutes).toContain(l);
  });

  it('does not tell a blocked creator again within the week, and a dry run tells no one', async () => {
    const w = await noticesWorld();
    const [, , missing] = w.creators;
    expect((await runPayouts(t, w, {})).statusCode).toBe(201);
    await runPayouts(t, w, { dryRun: true });
    await runPayouts(t, w, {});
    const rows = await t.database.handle.db
      .selectFrom('email_messages')
      .select('kind')
      .where('to_address', '=', (missing?.email ?? '').toLowerCase())
      .where('kind', '=', 'tax_details_missing')
      .execute();
    expect(rows).toHaveLength(1);
  });
});
