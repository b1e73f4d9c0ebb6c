import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testRedis } from '../helpers/redis.js';

/** With REDIS_URL, instances share state: an address limited on one is limited on all. */
let shared: ReturnType<typeof testRedis>;
let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  shared = testRedis();
  const config = { authRateLimit: { max: 4, windowMs: 60_000 } };
  a = await startTestApp({ config, redis: shared.redis });
  b = await startTestApp({ config, redis: shared.redis });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await shared?.close();
});

describe('rate limits across instances', () => {
  it('counts login attempts from one address on every instance together', async () => {
    const codes: number[] = [];
    for (const app of [a, b, a, b, a, b]) {
      const res = await app.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'nobody@example.com', password: 'wrong-password-1' },
        remoteAddress: '203.0.113.7',
      });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 401, 429, 429]);
    const keys = await shared.redis.keys(`${shared.prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
  });
});
