import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { redisUrl } from './redis.js';

async function reachable(): Promise<boolean> {
  const client = new Redis(redisUrl(), {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Before the database suites: start (or install) a local Redis when nothing answers. */
export default async function setup(): Promise<void> {
  if (await reachable()) return;
  if (process.env.KUMPPANI_TEST_REDIS_URL) throw new Error(`Redis at ${redisUrl()} is not reachable`);
  execFileSync('bash', ['scripts/ensure-redis.sh'], { stdio: 'inherit' });
  if (!(await reachable())) throw new Error('Redis is not reachable on 127.0.0.1:6379');
}
