import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsService } from '../../src/integrations/service.js';
import { programsService } from '../../src/programs/service.js';
import { systemClock } from '../../src/shared/clock.js';
import {
  type Brand,
  call,
  createKey,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

let t: TestApp;
let brand: Brand;
let programId: string;
beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app, 'Aino');
  programId = (await createProgram(t.app, brand.token, validProgram)).id;
});
afterAll(async () => {
  await t?.close();
});

const put = (platform: string, webhookSecret: string, token = brand.token, id = programId) =>
  call(t.app, token, {
    method: 'PUT',
    url: `/api/v1/programs/${id}/integrations/${platform}`,
    payload: { webhookSecret },
  });

describe('integration secrets', () => {
  it('stores a secret sealed, shows only its last characters, and opens it for webhook checks', async () => {
    const res = await put('shopify', 'shpss_0123456789abcdef');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ programId, platform: 'shopify', configured: true, secretHint: '…cdef' });
    expect(res.body).not.toContain('shpss_0123456789abcdef');
    const stored = await t.database.handle.db.selectFrom('integrations').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain('0123456789abcdef');

    const service = integrationsService({
      db: t.database.handle.db,
      clock: systemClock,
      programs: programsService({ db: t.database.handle.db, clock: systemClock }),
      instanceSecret: t.config.secret,
    });
    expect(await service.webhookSecret(programId, 'shopify')).toBe('shpss_0123456789abcdef');
    expect(await service.webhookSecret(programId, 'stripe')).toBeUndefined();
    // Under another instance secret the sealed value does not open.
    const other = integrationsService({
      db: t.database.handle.db,
      clock: systemClock,
      programs: programsService({ db: t.database.handle.db, clock: systemClock }),
      instanceSecret: `${t.config.secret}-other`,
    });
    await expect(other.webhookSecret(programId, 'shopify')).rejects.toThrow();

    // A new secret replaces the old one.
    expect((await put('shopify', 'shpss_new-secret-9999')).json().secretHint).toBe('…9999');
    expect(await service.webhookSecret(programId, 'shopify')).toBe('shpss_new-secret-9999');
  });

  it('checks the form of a Stripe secret and refuses bad input', async () => {
    // A program of its own: the secret it sets is no other test's.
    const own = (await createProgram(t.app, brand.token, validProgram)).id;
    expect((await put('stripe', 'not-a-stripe-secret', brand.token, own)).statusCode).toBe(400);
    expect((await put('stripe', 'whsec_abcdefgh12345678', brand.token, own)).statusCode).toBe(200);
    expect((await put('woocommerce', 'short', brand.token, own)).statusCode).toBe(400);
    expect((await put('woocommerce', 'has space inside', brand.token, own)).statusCode).toBe(400);
    expect((await put('magento', 'whatever-secret', brand.token, own)).statusCode).toBe(400);
  });

  it('lists configured integrations without secrets, and removes one', async () => {
    // A program of its own, with the two integrations this test lists.
    const own = (await createProgram(t.app, brand.token, validProgram)).id;
    expect((await put('shopify', 'shpss_0123456789abcdef', brand.token, own)).statusCode).toBe(200);
    expect((await put('stripe', 'whsec_abcdefgh12345678', brand.token, own)).statusCode).toBe(200);
    const list = await call(t.app, brand.token, { method: 'GET', url: `/api/v1/programs/${own}/integrations` });
    expect(list.json().data.map((i: { platform: string }) => i.platform)).toEqual(['shopify', 'stripe']);
    expect(list.body).not.toContain('whsec_');
    const del = await call(t.app, brand.token, {
      method: 'DELETE',
      url: `/api/v1/programs/${own}/integrations/stripe`,
    });
    expect(del.statusCode).toBe(204);
    const again = await call(t.app, brand.token, {
      method: 'DELETE',
      url: `/api/v1/programs/${own}/integrations/stripe`,
    });
    expect(again.statusCode).toBe(404);
  });

  it('lets only managers and owners set secrets, and only in their own programs', async () => {
    const viewer = await createKey(t.app, brand.token, 'viewer');
    expect((await put('woocommerce', 'wc-secret-123456', viewer)).statusCode).toBe(403);
    const other = await signupBrand(t.app, 'Other');
    expect((await put('woocommerce', 'wc-secret-123456', other.token)).statusCode).toBe(404);
    expect((await put('woocommerce', 'wc-secret-123456', brand.token, 'prg_missing')).statusCode).toBe(404);
  });
});

describe('the test-order setting', () => {
  const setting = (id: string, payload: Record<string, unknown>, token = brand.token) =>
    call(t.app, token, { method: 'PUT', url: `/api/v1/programs/${id}/integrations/shopify`, payload });

  it('records test orders apart unless told, and keeps the secret when only the setting changes', async () => {
    const own = (await createProgram(t.app, brand.token, validProgram)).id;
    const created = await setting(own, { webhookSecret: 'shpss_0123456789abcdef' });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json().testOrders).toBe('record');
    const changed = await setting(own, { testOrders: 'ignore' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ testOrders: 'ignore', secretHint: '…cdef' });
    const row = await t.database.handle.db
      .selectFrom('integrations')
      .select(['test_orders', 'secret_hint'])
      .where('program_id', '=', own)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ test_orders: 'ignore', secret_hint: 'cdef' });
    // A new secret alone leaves the setting as it was.
    expect((await setting(own, { webhookSecret: 'shpss_another-secret-7777' })).json().testOrders).toBe('ignore');
  });

  it('refuses a new integration without a secret, and a setting it does not know', async () => {
    const own = (await createProgram(t.app, brand.token, validProgram)).id;
    const missing = await setting(own, { testOrders: 'record' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('VALIDATION_FAILED');
    expect(
      await t.database.handle.db.selectFrom('integrations').select('id').where('program_id', '=', own).execute(),
    ).toEqual([]);
    const unknown = await setting(own, { webhookSecret: 'shpss_0123456789abcdef', testOrders: 'earn' });
    expect(unknown.statusCode).toBe(400);
  });

  it("lists a program's test orders to its brand only", async () => {
    const own = (await createProgram(t.app, brand.token, validProgram)).id;
    const url = `/api/v1/programs/${own}/integrations/shopify/test-orders`;
    const empty = await call(t.app, brand.token, { method: 'GET', url });
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toEqual({ data: [] });
    const other = await signupBrand(t.app, 'Outsider');
    expect((await call(t.app, other.token, { method: 'GET', url })).statusCode).toBe(404);
  });
});
