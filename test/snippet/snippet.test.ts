import { Script } from 'node:vm';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/shared/ids.js';
import { snippetRoutes } from '../../src/snippet/routes.js';
import { call, createProgram, signupBrand, startTestApp, type TestApp, validProgram } from '../helpers/app.js';

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

  it('serves the same body for ?window= and for an unknown program (the script reads the window itself)', async () => {
    const plain = await t.app.inject({ method: 'GET', url: '/k.js' });
    const windowed = await t.app.inject({ method: 'GET', url: `/k.js?window=7&program=${newId('program')}` });
    expect(windowed.statusCode).toBe(200);
    expect(windowed.body).toBe(plain.body);
    expect(windowed.headers.etag).toBe(plain.headers.etag);
  });

  it("writes a program's attribution window into the body served for it, with its own ETag", async () => {
    const brand = await signupBrand(t.app, 'Aino');
    const program = await createProgram(t.app, brand.token, { ...validProgram, attributionWindowDays: 14 });
    const plain = await t.app.inject({ method: 'GET', url: '/k.js' });
    const res = await t.app.inject({ method: 'GET', url: `/k.js?program=${program.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.length).toBeLessThan(3072);
    expect(() => new Script(res.body)).not.toThrow();
    expect(res.body).toContain('isNaN(days) ? 14 :');
    expect(plain.body).toContain('isNaN(days) ? 30 :');
    expect(res.headers.etag).not.toBe(plain.headers.etag);
    const again = await t.app.inject({
      method: 'GET',
      url: `/k.js?program=${program.id}`,
      headers: { 'if-none-match': res.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
    // A changed window is served at once (the kept one is dropped with the program's settings).
    const patched = await call(t.app, brand.token, {
      method: 'PATCH',
      url: `/api/v1/programs/${program.id}`,
      payload: { attributionWindowDays: 21 },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const changed = await t.app.inject({ method: 'GET', url: `/k.js?program=${program.id}` });
    expect(changed.body).toContain('isNaN(days) ? 21 :');
    // An archived program is not looked up: its snippet has the default window.
    await call(t.app, brand.token, { method: 'POST', url: `/api/v1/programs/${program.id}/archive` });
    const archived = await t.app.inject({ method: 'GET', url: `/k.js?program=${program.id}` });
    expect(archived.body).toBe(plain.body);
  });

  it('answers any query with a script: a malformed program, a repeated one, or a lookup that fails', async () => {
    const plain = await t.app.inject({ method: 'GET', url: '/k.js' });
    for (const query of [`program=${'x'.repeat(100)}`, 'program=prg_a&program=prg_b', 'program=', 'program[x]=1']) {
      const res = await t.app.inject({ method: 'GET', url: `/k.js?${query}` });
      expect(res.statusCode, query).toBe(200);
      expect(res.body).toBe(plain.body);
    }
    const app = Fastify();
    await app.register(snippetRoutes, {
      windowOf: async () => {
        throw new Error('the database is away');
      },
    });
    const res = await app.inject({ method: 'GET', url: `/k.js?program=${newId('program')}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(plain.body);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    await app.close();
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
