import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

// Behind a proxy that terminates TLS and says so in X-Forwarded-Proto.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ config: { trustProxy: true, publicUrl: 'http://kumppani.internal.example:8080' } });
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string, proto: 'http' | 'https') =>
  t.app.inject({ method: 'GET', url, headers: { 'x-forwarded-proto': proto } });

describe('headers that only mean something over https', () => {
  it('sends HSTS on an API answer that came over https', async () => {
    expect((await get('/healthz', 'https')).headers['strict-transport-security']).toContain('max-age=');
  });

  it('sends no HSTS on an API answer over plain http', async () => {
    expect((await get('/healthz', 'http')).headers['strict-transport-security']).toBeUndefined();
  });

  it('leaves upgrade-insecure-requests out of the /docs policy over plain http, so its assets load', async () => {
    const page = await get('/docs/', 'http');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('keeps upgrade-insecure-requests in the /docs policy over https', async () => {
    expect((await get('/docs/', 'https')).headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });

  it('keeps the /docs policy to the page’s own host', async () => {
    const csp = (await get('/docs/', 'http')).headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/https:|validator/);
  });
});
