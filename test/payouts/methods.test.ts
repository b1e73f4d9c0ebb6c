import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from '../helpers/app.js';
import { approveAll, freshIban, type PayoutWorld, payoutWorld, runPayouts, sale } from './world.js';

/**
 * Stripe's API, as far as Connect transfers go: POST /v1/transfers, form-encoded, answered with a
 * transfer object or an error object in Stripe's wire format. Accounts named acct_refused… are
 * refused as Stripe refuses an unknown destination.
 */
interface SeenTransfer {
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  form: URLSearchParams;
}
const seen: SeenTransfer[] = [];
let stripe: Server;

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => resolve(text));
  });
}

let t: TestApp;

beforeAll(async () => {
  stripe = createServer(async (req, res) => {
    const form = new URLSearchParams(await body(req));
    res.setHeader('content-type', 'application/json');
    res.setHeader('request-id', `req_${seen.length}`);
    if (req.method !== 'POST' || req.url !== '/v1/transfers') {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'Unrecognized request URL' } }));
      return;
    }
    seen.push({
      authorization: req.headers.authorization,
      idempotencyKey: req.headers['idempotency-key'] as string | undefined,
      form,
    });
    const destination = form.get('destination') ?? '';
    if (destination.startsWith('acct_refused')) {
      res.statusCode = 400;
      res.end(
        JSON.stringify({
          error: {
            code: 'resource_missing',
            doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
            message: `No such destination: '${destination}'`,
            param: 'destination',
            type: 'invalid_request_error',
          },
        }),
      );
      return;
    }
    res.end(
      JSON.stringify({
        id: `tr_${seen.length}Kumppani`,
        object: 'transfer',
        amount: Number(form.get('amount')),
        amount_reversed: 0,
        balance_transaction: 'txn_1',
        created: Math.floor(Date.now() / 1000),
        currency: form.get('currency'),
        description: form.get('description'),
        destination,
        destination_payment: 'py_1',
        livemode: false,
        metadata: {},
        reversals: { object: 'list', data: [], has_more: false, total_count: 0, url: '/v1/transfers/tr_1/reversals' },
        reversed: false,
        source_transaction: null,
        source_type: 'card',
        transfer_group: form.get('transfer_group'),
      }),
    );
  });
  await new Promise<void>((resolve) => stripe.listen(0, '127.0.0.1', resolve));
  const { port } = stripe.address() as AddressInfo;
  t = await startTestApp({ stripeApi: { host: '127.0.0.1', port, protocol: 'http' } });
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => stripe?.close(resolve));
});

async function stripeWorld(account: string): Promise<{ w: PayoutWorld; payoutId: string; commissionId: string }> {
  const w = await payoutWorld(t, { creators: 1 });
  await call(t.app, w.brand.token, {
    method: 'PUT',
    url: `/api/v1/programs/${w.programId}/payout-settings`,
    payload: { stripeSecretKey: 'sk_test_51KumppaniLocalOnly' },
  });
  await call(t.app, w.creators[0]!.token, {
    method: 'PUT',
    url: '/api/v1/creators/me/payout-profile',
    payload: { method: 'stripe', stripeAccountId: account },
  });
  const { commissionId } = await sale(t, w, w.creators[0]!, 123_450);
  await approveAll(t);
  const payoutId = (await runPayouts(t, w)).json().data[0].id;
  return { w, payoutId, commissionId };
}

describe('a Stripe Connect payout', () => {
  it('is sent as a transfer with the payout’s idempotency key and kept with its transfer id', async () => {
    const { w, payoutId } = await stripeWorld('acct_1KumppaniOk01');
    const res = await call(t.app, w.brand.token, { method: 'POST', url: `/api/v1/payouts/${payoutId}/send` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'paid', transferId: expect.stringMatching(/^tr_/) });
    const request = seen.find((s) => s.form.get('metadata[payoutId]') === payoutId);
    expect(request?.idempotencyKey).toBe(`kumppani-payout-${payoutId}`);
    expect(request?.authorization).toBe('Bearer sk_test_51KumppaniLocalOnly');
    expect(Object.fromEntries(request?.form ?? [])).toMatchObject({
      amount: '12345',
      currency: 'eur',
      destination: 'acct_1KumppaniOk01',
    });
  });

  it('fails with Stripe’s reason when Stripe refuses it, and its entries return to the balance', async () => {
    const { w, payoutId, commissionId } = await stripeWorld('acct_refused0001');
    const res = await call(t.app, w.brand.token, { method: 'POST', url: `/api/v1/payouts/${payoutId}/send` });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('failed');
    expect(res.json().failure).toEqual({
      code: 'stripe_error',
      reason: "Stripe refused the transfer: No such destination: 'acct_refused0001' (resource_missing)",
    });
    const entry = await t.database.handle.db
      .selectFrom('commissions')
      .select(['status', 'payout_id'])
      .where('id', '=', commissionId)
      .executeTakeFirstOrThrow();
    expect(entry).toEqual({ status: 'approved', payout_id: null });
  });

  it('needs the program’s Stripe key', async () => {
    const w = await payoutWorld(t, { creators: 1 });
    await call(t.app, w.creators[0]!.token, {
      method: 'PUT',
      url: '/api/v1/creators/me/payout-profile',
      payload: { method: 'stripe', stripeAccountId: 'acct_1KumppaniNoKey' },
    });
    await sale(t, w, w.creators[0]!, 90_000);
    await approveAll(t);
    const payoutId = (await runPayouts(t, w)).json().data[0].id;
    const res = await call(t.app, w.brand.token, { method: 'POST', url: `/api/v1/payouts/${payoutId}/send` });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('PAYOUT_PROVIDER_NOT_CONFIGURED');
  });
});

describe('batch files', () => {
  let w: PayoutWorld;
  let runId: string;

  beforeAll(async () => {
    w = await payoutWorld(t, { creators: 3 });
    const [p, wiseIban, wiseEmail] = w.creators;
    const put = (token: string, payload: object) =>
      call(t.app, token, { method: 'PUT', url: '/api/v1/creators/me/payout-profile', payload });
    await put(p!.token, { method: 'paypal', paypalEmail: 'maija@example.com' });
    await put(wiseIban!.token, {
      method: 'wise',
      iban: freshIban(),
      accountName: 'Liisa Wise, "Ltd"',
      currency: 'EUR',
      businessId: '1234567-8',
    });
    await put(wiseEmail!.token, {
      method: 'wise',
      wiseEmail: 'olli@example.com',
      accountName: 'Olli',
      currency: 'SEK',
    });
    for (const c of w.creators) await sale(t, w, c, 75_500);
    await approveAll(t);
    runId = (await runPayouts(t, w)).json().run.id;
  });

  it('writes the PayPal Payouts rows: email, amount, currency, payout id, note, PAYPAL', async () => {
    const res = await call(t.app, w.brand.token, {
      method: 'GET',
      url: `/api/v1/payouts/${runId}/export?format=paypal-csv`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const rows = res.body.trimEnd().split('\r\n');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(
      /^maija@example\.com,75\.50,EUR,po_[0-9a-z]{26},Payout Program: commissions of payout po_[0-9a-z]{26},PAYPAL$/,
    );
  });

  it('writes the Wise batch with its header, by IBAN and by email', async () => {
    const res = await call(t.app, w.brand.token, {
      method: 'GET',
      url: `/api/v1/payout-runs/${runId}/export?format=wise-csv`,
    });
    const [header, ...rows] = res.body.trimEnd().split('\r\n');
    expect(header).toBe(
      'name,recipientEmail,paymentReference,receiverType,amountCurrency,amount,sourceCurrency,targetCurrency,type,IBAN,BIC',
    );
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^"Liisa Wise, ""Ltd""",,po_\w+,BUSINESS,target,75\.50,EUR,EUR,IBAN,DE\d{20},$/),
        expect.stringMatching(/^Olli,olli@example\.com,po_\w+,PERSON,source,75\.50,EUR,SEK,EMAIL,,$/),
      ]),
    );
  });
});
