import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app);
});
afterAll(async () => {
  await t?.close();
});

const post = (body: unknown, token = brand.token) =>
  call(t.app, token, { method: 'POST', url: '/api/v1/programs', payload: body as object });

describe('programs', () => {
  it('creates a program with defaults and reads it back', async () => {
    const res = await post({ ...validProgram, allowedDomains: ['Shop.Example.com', 'shop.example.com', 'kauppa.fi'] });
    expect(res.statusCode).toBe(201);
    const program = res.json();
    expect(program.id).toMatch(/^prg_/);
    expect(program).toMatchObject({
      name: 'Revontuli Creators',
      currency: 'EUR',
      allowedDomains: ['shop.example.com', 'kauppa.fi'],
      defaultRate: { type: 'percent', bps: 1500 },
      attributionWindowDays: 30,
      holdingDays: 30,
      visibility: 'open',
      codeWinsOverClick: true,
      commissionDuration: { type: 'first_order' },
      rateCutNoticeDays: 30,
      payoutAccount: null,
      status: 'active',
      archivedAt: null,
    });
    const read = await call(t.app, brand.token, { method: 'GET', url: `/api/v1/programs/${program.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(program);
  });

  it('keeps every field of a full program, money as integers', async () => {
    const body = {
      name: 'Mesa Glow Affiliates',
      description: 'Desert skincare',
      currency: 'usd',
      allowedDomains: ['mesaglow.example'],
      defaultRate: { type: 'flat', amount: 500 },
      attributionWindowDays: 365,
      holdingDays: 0,
      minPayoutAmount: 9_007_199_254_740_991,
      visibility: 'invite',
      codeWinsOverClick: false,
      commissionDuration: { type: 'months', months: 12 },
      rateCutNoticeDays: 14,
      payoutAccount: { iban: 'fi21 1234 5600 0007 85', bic: 'ndeafihh', name: 'Mesa Glow Inc.' },
    };
    const res = await post(body);
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({
      currency: 'USD',
      minPayoutAmount: 9_007_199_254_740_991,
      payoutAccount: { iban: 'FI2112345600000785', bic: 'NDEAFIHH', name: 'Mesa Glow Inc.' },
      commissionDuration: { type: 'months', months: 12 },
      codeWinsOverClick: false,
    });
    const read = (await call(t.app, brand.token, { method: 'GET', url: `/api/v1/programs/${p.id}` })).json();
    expect(read.minPayoutAmount).toBe(9_007_199_254_740_991);
  });

  it.each([
    ['an unknown currency', { currency: 'EUX' }, 'body.currency'],
    ['a lowercase nonsense currency', { currency: 'abc' }, 'body.currency'],
    ['a URL instead of a hostname', { allowedDomains: ['https://shop.example.com/path'] }, 'body.allowedDomains.0'],
    ['an IP address as domain', { allowedDomains: ['127.0.0.1'] }, 'body.allowedDomains.0'],
    ['a single-label host', { allowedDomains: ['localhost'] }, 'body.allowedDomains.0'],
    ['no domains', { allowedDomains: [] }, 'body.allowedDomains'],
    ['a zero-day window', { attributionWindowDays: 0 }, 'body.attributionWindowDays'],
    ['a 366-day window', { attributionWindowDays: 366 }, 'body.attributionWindowDays'],
    ['a negative holding period', { holdingDays: -1 }, 'body.holdingDays'],
    ['a rate over 100 %', { defaultRate: { type: 'percent', bps: 10001 } }, 'body.defaultRate.bps'],
    ['a fractional flat rate', { defaultRate: { type: 'flat', amount: 4.5 } }, 'body.defaultRate.amount'],
    ['a negative minimum payout', { minPayoutAmount: -100 }, 'body.minPayoutAmount'],
    ['a minimum payout as a string', { minPayoutAmount: '100' }, 'body.minPayoutAmount'],
    [
      'a bad IBAN',
      { payoutAccount: { iban: 'FI2112345600000786', bic: 'NDEAFIHH', name: 'X' } },
      'body.payoutAccount.iban',
    ],
    ['an unknown field', { color: 'blue' }, 'body.color'],
  ])('refuses %s with 400 naming the field', async (_what, patch, path) => {
    const res = await post({ ...validProgram, ...patch });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fields.map((f: { path: string }) => f.path)).toContain(path);
  });

  it('accepts an internationalised domain and stores its ASCII form', async () => {
    const res = await post({ ...validProgram, allowedDomains: ['shop.bücher.example'] });
    expect(res.statusCode).toBe(201);
    expect(res.json().allowedDomains).toEqual(['shop.xn--bcher-kva.example']);
  });

  it('updates some fields and leaves the rest', async () => {
    const p = await createProgram(t.app, brand.token);
    const res = await call(t.app, brand.token, {
      method: 'PATCH',
      url: `/api/v1/programs/${p.id}`,
      payload: { holdingDays: 14, defaultRate: { type: 'percent', bps: 2000 }, description: null },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      holdingDays: 14,
      defaultRate: { bps: 2000 },
      currency: 'EUR',
      name: validProgram.name,
    });
    const bad = await call(t.app, brand.token, {
      method: 'PATCH',
      url: `/api/v1/programs/${p.id}`,
      payload: { currency: 'USD' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('archives and restores; an archived program cannot be edited', async () => {
    const p = await createProgram(t.app, brand.token);
    const archived = await call(t.app, brand.token, { method: 'POST', url: `/api/v1/programs/${p.id}/archive` });
    expect(archived.json()).toMatchObject({ status: 'archived' });
    expect(archived.json().archivedAt).toBeTruthy();
    const edit = await call(t.app, brand.token, {
      method: 'PATCH',
      url: `/api/v1/programs/${p.id}`,
      payload: { name: 'x' },
    });
    expect(edit.statusCode).toBe(422);
    expect(edit.json().error.code).toBe('PROGRAM_ARCHIVED');
    const list = (await call(t.app, brand.token, { method: 'GET', url: '/api/v1/programs?status=archived' })).json();
    expect(list.data.map((x: { id: string }) => x.id)).toContain(p.id);
    const restored = await call(t.app, brand.token, { method: 'POST', url: `/api/v1/programs/${p.id}/restore` });
    expect(restored.json()).toMatchObject({ status: 'active', archivedAt: null });
  });

  it('lists page by page with a cursor, newest first', async () => {
    const other = await signupBrand(t.app);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await createProgram(t.app, other.token, { ...validProgram, name: `P${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/programs?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await call(t.app, other.token, { method: 'GET', url });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.data.length).toBeLessThanOrEqual(2);
      seen.push(...body.data.map((p: { id: string }) => p.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('lets a viewer read but not write', async () => {
    const viewer = await createKey(t.app, brand.token, 'viewer');
    const p = await createProgram(t.app, brand.token);
    expect((await call(t.app, viewer, { method: 'GET', url: `/api/v1/programs/${p.id}` })).statusCode).toBe(200);
    const res = await post(validProgram, viewer);
    expect(res.statusCode).toBe(403);
  });

  it("answers 404 for another workspace's program, as for one that does not exist", async () => {
    const p = await createProgram(t.app, brand.token);
    const stranger = await signupBrand(t.app);
    const theirs = await call(t.app, stranger.token, { method: 'GET', url: `/api/v1/programs/${p.id}` });
    const missing = await call(t.app, stranger.token, {
      method: 'GET',
      url: '/api/v1/programs/prg_00000000000000000000000000',
    });
    expect(theirs.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(theirs.json().error.message).toBe(missing.json().error.message);
    const list = (await call(t.app, stranger.token, { method: 'GET', url: '/api/v1/programs' })).json();
    expect(list.data).toEqual([]);
  });
});

describe('products', () => {
  it('adds, lists, edits and archives products of a program', async () => {
    const p = await createProgram(t.app, brand.token);
    const res = await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${p.id}/products`,
      payload: {
        externalId: '8012345670001',
        name: 'Synergy leggings',
        url: 'https://shop.example.com/products/synergy',
        price: 6900,
        rate: { type: 'percent', bps: 2000 },
      },
    });
    expect(res.statusCode).toBe(201);
    const product = res.json();
    expect(product).toMatchObject({
      programId: p.id,
      price: 6900,
      currency: 'EUR',
      rate: { type: 'percent', bps: 2000 },
    });
    expect(product.id).toMatch(/^prd_/);

    const list = (await call(t.app, brand.token, { method: 'GET', url: `/api/v1/programs/${p.id}/products` })).json();
    expect(list.data).toHaveLength(1);

    const edit = await call(t.app, brand.token, {
      method: 'PATCH',
      url: `/api/v1/products/${product.id}`,
      payload: { price: 5900, rate: null },
    });
    expect(edit.json()).toMatchObject({ price: 5900, rate: null });

    const archived = await call(t.app, brand.token, { method: 'POST', url: `/api/v1/products/${product.id}/archive` });
    expect(archived.json().status).toBe('archived');
    const active = (await call(t.app, brand.token, { method: 'GET', url: `/api/v1/programs/${p.id}/products` })).json();
    expect(active.data).toHaveLength(0);
  });

  it('refuses a duplicate external id in the same program with 409', async () => {
    const p = await createProgram(t.app, brand.token);
    const body = { externalId: 'SKU-1', name: 'Hoodie' };
    const url = `/api/v1/programs/${p.id}/products`;
    expect((await call(t.app, brand.token, { method: 'POST', url, payload: body })).statusCode).toBe(201);
    const dup = await call(t.app, brand.token, { method: 'POST', url, payload: body });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('EXTERNAL_ID_TAKEN');
  });

  it('refuses an edit that gives a product the external id of another in the program with 409', async () => {
    const p = await createProgram(t.app, brand.token);
    const url = `/api/v1/programs/${p.id}/products`;
    await call(t.app, brand.token, { method: 'POST', url, payload: { externalId: 'SKU-1', name: 'Hoodie' } });
    const cap = (
      await call(t.app, brand.token, { method: 'POST', url, payload: { externalId: 'SKU-2', name: 'Cap' } })
    ).json();
    const edit = await call(t.app, brand.token, {
      method: 'PATCH',
      url: `/api/v1/products/${cap.id}`,
      payload: { externalId: 'SKU-1' },
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.code).toBe('EXTERNAL_ID_TAKEN');
    const same = await call(t.app, brand.token, {
      method: 'PATCH',
      url: `/api/v1/products/${cap.id}`,
      payload: { externalId: 'SKU-2', name: 'Cap 2' },
    });
    expect(same.statusCode, same.body).toBe(200);
  });

  it("refuses a product page outside the program's domains with 422", async () => {
    const p = await createProgram(t.app, brand.token);
    const res = await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${p.id}/products`,
      payload: { externalId: 'x', name: 'x', url: 'https://evil.example.net/shop.example.com' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('DESTINATION_NOT_ALLOWED');
    const sub = await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${p.id}/products`,
      payload: { externalId: 'y', name: 'y', url: 'https://eu.shop.example.com/p/1' },
    });
    expect(sub.statusCode).toBe(201);
  });

  it.each([
    ['a negative price', { price: -1 }],
    ['a fractional price', { price: 19.99 }],
    ['a javascript: url', { url: 'javascript:alert(1)' }],
    ['a url with credentials', { url: 'https://user:pw@shop.example.com/' }],
  ])('refuses %s with 400', async (_what, patch) => {
    const p = await createProgram(t.app, brand.token);
    const res = await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${p.id}/products`,
      payload: { externalId: 'z', name: 'z', ...patch },
    });
    expect(res.statusCode).toBe(400);
  });

  it('refuses new products in an archived program', async () => {
    const p = await createProgram(t.app, brand.token);
    await call(t.app, brand.token, { method: 'POST', url: `/api/v1/programs/${p.id}/archive` });
    const res = await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${p.id}/products`,
      payload: { externalId: 'a', name: 'a' },
    });
    expect(res.statusCode).toBe(422);
  });
});
