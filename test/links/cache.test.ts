import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LinkCache } from '../../src/links/cache.js';
import {
  approvedCreator,
  call,
  createLink,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

/** The redirect's cache of links, on a real database: what it keeps, and for how long. */
let t: TestApp;
let slug: string;
let linkId: string;
let creatorToken: string;
let programId: string;
beforeAll(async () => {
  t = await startTestApp();
  const brand = await signupBrand(t.app, 'Aino');
  programId = (await createProgram(t.app, brand.token, validProgram)).id;
  const creator = await approvedCreator(t.app, brand.token, programId, 'Krista');
  creatorToken = creator.token;
});
// One link of its own for each test: a test that changes its link changes no other test's.
beforeEach(async () => {
  const link = await createLink(t.app, creatorToken, { programId, destinationUrl: 'https://shop.example.com/a' });
  slug = link.slug;
  linkId = link.id;
});
afterAll(async () => {
  await t?.close();
});

describe('LinkCache', () => {
  it('does not keep a link read while a change of it was announced', async () => {
    const cache = new LinkCache(t.database.handle.db);
    const reading = cache.get(slug); // a miss: the read is under way
    expect(reading).toBeInstanceOf(Promise);
    await cache.invalidate(slug); // the change commits meanwhile
    expect((await reading)?.destinationUrl).toBe('https://shop.example.com/a');
    expect(cache.size).toBe(0);
    await cache.get(slug);
    expect(cache.size).toBe(1);
  });

  it('reads a known link again after its time to live, even with no change announced', async () => {
    let now = 1_000_000;
    const cache = new LinkCache(t.database.handle.db, { hitTtlMs: 1_000, now: () => now });
    expect((await cache.get(slug))?.destinationUrl).toBe('https://shop.example.com/a');
    // Changed through the API of an instance whose announcement never reached this cache.
    const res = await call(t.app, creatorToken, {
      method: 'PATCH',
      url: `/api/v1/links/${linkId}`,
      payload: { destinationUrl: 'https://shop.example.com/b' },
    });
    expect(res.statusCode, res.body).toBe(200);
    now += 999;
    expect((await cache.get(slug))?.destinationUrl).toBe('https://shop.example.com/a');
    now += 1;
    expect((await cache.get(slug))?.destinationUrl).toBe('https://shop.example.com/b');
  });

  it('does not fail a committed change when Redis refuses its announcement', async () => {
    const failures: unknown[] = [];
    const publisher = { publish: () => Promise.reject(new Error('Redis is gone')) };
    const cache = new LinkCache(t.database.handle.db, {
      publisher: publisher as never,
      onPublishError: (err) => failures.push(err),
    });
    await cache.get(slug);
    await expect(cache.invalidate(slug)).resolves.toBeUndefined();
    expect(cache.size).toBe(0);
    expect(failures).toHaveLength(1);
  });
});
