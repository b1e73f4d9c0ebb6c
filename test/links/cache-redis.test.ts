import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvedCreator,
  type Brand,
  type CreatorAccount,
  createLink,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';
import { testRedis } from '../helpers/redis.js';

/**
 * Two instances on one database, sharing Redis: a link edited through one is seen by the
 * other's redirect at once, although the other had it in its in-process cache.
 */
let shared: ReturnType<typeof testRedis>;
let a: TestApp;
let b: TestApp;
let baseA: string;
let baseB: string;
let brand: Brand;
let creator: CreatorAccount;
let programId: string;
beforeAll(async () => {
  shared = testRedis();
  a = await startTestApp({ redis: shared.redis });
  b = await startTestApp({ redis: shared.redis, shareDatabaseWith: a });
  baseA = await a.app.listen({ host: '127.0.0.1', port: 0 });
  baseB = await b.app.listen({ host: '127.0.0.1', port: 0 });
  brand = await signupBrand(b.app, 'Aino');
  programId = (await createProgram(b.app, brand.token, validProgram)).id;
  creator = await approvedCreator(b.app, brand.token, programId, 'Krista');
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await shared?.close();
});

const visitA = (slug: string) =>
  fetch(`${baseA}/${slug}`, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 (iPhone) Mobile Safari' } });

/** An API call over HTTP to instance B. */
async function onB(method: string, url: string, body?: object) {
  const res = await fetch(`${baseB}${url}`, {
    method,
    headers: { authorization: `Bearer ${brand.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.text() };
}

/** The answers of instance A until one satisfies `done`, for at most a second. */
async function eventually(slug: string, done: (res: Response) => boolean): Promise<Response> {
  const deadline = Date.now() + 1000;
  for (;;) {
    const res = await visitA(slug);
    if (done(res) || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('link edits across instances through Redis', () => {
  it('reaches the other instance at once: disable, enable, new destination, archived program', async () => {
    const link = await createLink(b.app, creator.token, { programId, destinationUrl: 'https://shop.example.com/old' });
    expect((await visitA(link.slug)).status).toBe(302); // now in A's cache
    const patch = async (payload: object) => {
      const res = await onB('PATCH', `/api/v1/links/${link.id}`, payload);
      expect(res.status, res.body).toBe(200);
    };

    await patch({ status: 'disabled' });
    expect((await eventually(link.slug, (r) => r.status === 410)).status).toBe(410);

    await patch({ status: 'enabled' });
    expect((await eventually(link.slug, (r) => r.status === 302)).status).toBe(302);

    await patch({ destinationUrl: 'https://shop.example.com/new' });
    const moved = await eventually(link.slug, (r) => (r.headers.get('location') ?? '').includes('/new'));
    expect(moved.headers.get('location')).toMatch(/^https:\/\/shop\.example\.com\/new\?kclid=clk_/);

    const archived = await onB('POST', `/api/v1/programs/${programId}/archive`);
    expect(archived.status, archived.body).toBe(200);
    expect((await eventually(link.slug, (r) => r.status === 410)).status).toBe(410);
  });
});
