import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export function redisUrl(): string {
  return process.env.KUMPPANI_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A client for one test file; its keys live under a unique prefix and are removed on close. */
export function testRedis(): { redis: Redis; prefix: string; close(): Promise<void> } {
  const prefix = `kumppani-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(redisUrl(), { keyPrefix: prefix, maxRetriesPerRequest: 1 });
  return {
    redis,
    prefix,
    close: async () => {
      const raw = new Redis(redisUrl());
      const keys = await raw.keys(`${prefix}*`);
      if (keys.length) await raw.del(...keys);
      raw.disconnect();
      redis.disconnect();
    },
  };
}
