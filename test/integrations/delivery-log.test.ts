import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createKey, createProgram, signupBrand, startTestApp, type TestApp } from '../helpers/app.js';

const LIMIT = 20;
let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await startTestApp({ config: { webhookRateLimit: { max: LIMIT, windowMs: 60_000 } } });
  key = await createKey(t.app, (await signupBrand(t.app)).token, 'manager');
});
afterAll(async () => {
  await t?.close();
});

const bigHeader = `<script>alert(1)</script>${'x'.repeat(7 * 1024)}`;

function deliver(programId: string, opts: { address?: string; topic?: string } = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/integrations/shopify/${programId}/webhook`,
    remoteAddress: opts.address ?? '203.0.113.7',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': opts.topic ?? bigHeader,
      'x-shopify-webhook-id': bigHeader,
      'x-shopify-hmac-sha256': 'bm90IGEgc2lnbmF0dXJl',
    },
    payload: '{"id":1}',
  });
}

const deliveryRows = async (programId: string) =>
  await t.database.handle.db.selectFrom('webhook_deliveries').selectAll().where('program_id', '=', programId).execute();

describe('deliveries to a program with no secret', () => {
  it('stores no delivery, only a count', async () => {
    const programId = (await createProgram(t.app, key)).id;
    for (let i = 0; i < 5; i++) expect((await deliver(programId)).statusCode).toBe(409);
    expect(await deliveryRows(programId)).toHaveLength(0);
    const log = await call(t.app, key, {
      method: 'GET',
      url: `/api/v1/programs/${programId}/integrations/shopify/deliveries`,
    });
    expect(log.json().unconfigured.count).toBe(5);
  });
});

describe('rate limits of the webhook URLs', () => {
  it('answers 429 past the limit from one address to one program', async () => {
    const programId = (await createProgram(t.app, key)).id;
    const codes: number[] = [];
    for (let i = 0; i < LIMIT + 5; i++) codes.push((await deliver(programId, { address: '198.51.100.1' })).statusCode);
    expect(codes.filter((c) => c === 429)).toHaveLength(5);
  });

  it('counts nothing for deliveries refused by the limit', async () => {
    const programId = (await createProgram(t.app, key)).id;
    for (let i = 0; i < LIMIT + 5; i++) await deliver(programId, { address: '198.51.100.2' });
    const log = await call(t.app, key, {
      method: 'GET',
      url: `/api/v1/programs/${programId}/integrations/shopify/deliveries`,
    });
    expect(log.json().unconfigured.count).toBe(LIMIT);
  });

  it('keeps a separate limit for another program from the same address', async () => {
    const first = (await createProgram(t.app, key)).id;
    const second = (await createProgram(t.app, key)).id;
    for (let i = 0; i < LIMIT; i++) await deliver(first, { address: '198.51.100.3' });
    expect((await deliver(second, { address: '198.51.100.3' })).statusCode).toBe(409);
  });

  it('keeps a separate limit for another address to the same program', async () => {
    const programId = (await createProgram(t.app, key)).id;
    for (let i = 0; i < LIMIT; i++) await deliver(programId, { address: '198.51.100.4' });
    expect((await deliver(programId, { address: '198.51.100.5' })).statusCode).toBe(409);
  });
});

describe('header values in the delivery log', () => {
  it('keeps a refused delivery’s header values truncated to 200 characters', async () => {
    const programId = (await createProgram(t.app, key)).id;
    const put = await call(t.app, key, {
      method: 'PUT',
      url: `/api/v1/programs/${programId}/integrations/shopify`,
      payload: { webhookSecret: 'shpss_0123456789abcdef' },
    });
    expect(put.statusCode).toBe(200);
    expect((await deliver(programId, { address: '198.51.100.6' })).statusCode).toBe(401);
    const [row] = await deliveryRows(programId);
    expect([row?.topic?.length, row?.delivery_id?.length]).toEqual([200, 200]);
  });
});
