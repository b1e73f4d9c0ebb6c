import { Script } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('GET /k.js', () => {
  it('serves a script under 3 KB that parses, without a token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/k.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.rawPayload.length).toBeLessThan(3072);
    expect(() => new Script(res.body)).not.toThrow();
    expect(res.body).toContain('kclid');
  });

  it('may be loaded from the shops’ domains and cached for an hour', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/k.js' });
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers.etag).toMatch(/^"[\w-]{22}"$/);
  });

  it('answers 304 without a body when the ETag is current, and 200 when it is not', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/k.js' });
    const etag = first.headers.etag as string;
    for (const header of [etag, `W/${etag}`, `"stale", ${etag}`, '*']) {
      const res = await t.app.inject({ method: 'GET', url: '/k.js', headers: { 'if-none-match': header } });
      expect(res.statusCode, header).toBe(304);
      expect(res.body).toBe('');
      expect(res.headers.etag).toBe(etag);
    }
    const stale = await t.app.inject({ method: 'GET', url: '/k.js', headers: { 'if-none-match': '"stale"' } });
    expect(stale.statusCode).toBe(200);
    expect(stale.body).toBe(first.body);
  });

  it('serves the same body whatever the query (the window is read by the script itself)', async () => {
    const plain = await t.app.inject({ method: 'GET', url: '/k.js' });
    const windowed = await t.app.inject({ method: 'GET', url: '/k.js?window=7&program=prg_x' });
    expect(windowed.statusCode).toBe(200);
    expect(windowed.body).toBe(plain.body);
    expect(windowed.headers.etag).toBe(plain.headers.etag);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await t.app.inject({ method: 'HEAD', url: '/k.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.body).toBe('');
  });

  it('is not a short link: /k.js is never taken for a slug', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/k.js/extra' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
  });
});
