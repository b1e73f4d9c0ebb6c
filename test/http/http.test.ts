import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Brand, call, signupBrand, startTestApp, type TestApp, validProgram } from '../helpers/app.js';

let t: TestApp;
let brand: Brand;
beforeAll(async () => {
  t = await startTestApp({ config: { bodyLimit: 16 * 1024 } });
  brand = await signupBrand(t.app);
});
afterAll(async () => {
  await t?.close();
});

describe('health', () => {
  it('answers ok when the database answers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok' });
  });
});

describe('bad requests', () => {
  it('answers malformed JSON with 400 INVALID_JSON', async () => {
    const res = await call(t.app, brand.token, {
      method: 'POST',
      url: '/api/v1/programs',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "x",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_JSON');
  });

  it('answers a body over the configured limit with 413 and stores nothing', async () => {
    const res = await call(t.app, brand.token, {
      method: 'POST',
      url: '/api/v1/programs',
      payload: { ...validProgram, description: 'x'.repeat(20 * 1024) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    const list = (await call(t.app, brand.token, { method: 'GET', url: '/api/v1/programs' })).json();
    expect(list.data).toHaveLength(0);
  });

  it('answers an unknown route with a 404 in the error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });

  it('rejects unknown query parameters and out-of-range limits', async () => {
    for (const q of ['limit=0', 'limit=1000', 'sort=name', 'limit=abc']) {
      const res = await call(t.app, brand.token, { method: 'GET', url: `/api/v1/programs?${q}` });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });
});

/** The API answers nothing a browser should run, frame, submit or resolve against. */
const API_POLICY = "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'";
const HSTS = 'max-age=31536000; includeSubDomains';

describe('every response', () => {
  it('carries security headers and a request id, errors included', async () => {
    const responses = [
      await t.app.inject({ method: 'GET', url: '/healthz' }),
      await t.app.inject({ method: 'GET', url: '/api/v1/me' }),
      await t.app.inject({ method: 'GET', url: '/api/nope' }),
      await call(t.app, brand.token, { method: 'GET', url: '/api/v1/programs' }),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 401, 404, 200]);
    for (const res of responses) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe(API_POLICY);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-request-id']).toMatch(/\S+/);
    }
    // The redirect's own pages (here an unknown link) carry the same protections.
    const page = await t.app.inject({ method: 'GET', url: '/no-such-link' });
    expect(page.statusCode).toBe(404);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['strict-transport-security']).toBe(HSTS);
    // Its own policy: the page's inline style and nothing else.
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    );
    expect(page.headers['x-request-id']).toMatch(/^req_/);
    const err = responses[1]!;
    expect(err.json().error.requestId).toBe(err.headers['x-request-id']);
  });

  it('hides internals of an unexpected failure behind a plain 500', async () => {
    const broken = await startTestApp();
    try {
      const b = await signupBrand(broken.app);
      await broken.database.handle.db.schema.dropTable('products').execute();
      const p = await call(broken.app, b.token, { method: 'POST', url: '/api/v1/programs', payload: validProgram });
      const res = await call(broken.app, b.token, { method: 'GET', url: `/api/v1/programs/${p.json().id}/products` });
      expect(res.statusCode).toBe(500);
      expect(res.json().error).toMatchObject({ code: 'INTERNAL', message: 'Something went wrong on our side' });
      expect(res.body).not.toMatch(/products|sql|stack/i);
    } finally {
      await broken.close();
    }
  });
});

describe('OpenAPI', () => {
  it('is a valid OpenAPI 3.1 document covering the routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    for (const path of [
      '/api/v1/auth/signup',
      '/api/v1/auth/login',
      '/api/v1/api-keys',
      '/api/v1/programs',
      '/api/v1/programs/{id}',
      '/api/v1/programs/{id}/products',
      '/healthz',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/api/v1/auth/signup'].post.security).toEqual([]);
  });

  it('has a reference page at /docs that loads nothing from another host', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
    const urls = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(urls.length).toBeGreaterThan(2);
    for (const url of urls) {
      expect(url, url).not.toMatch(/^(https?:)?\/\//);
      const asset = await t.app.inject({ method: 'GET', url: new URL(url, 'http://x/docs/').pathname });
      expect(asset.statusCode, url).toBe(200);
    }
    expect(page.headers['content-security-policy']).not.toMatch(/https?:\/\/|validator\.swagger\.io/);
  });
});
