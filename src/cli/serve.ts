import type { Redis } from 'ioredis';
import { redactUrl } from '../config/config.js';
import { databaseIsEmpty, describeDemo, loadDemo } from '../demo/demo.js';
import { demoReminder } from '../demo/reminder.js';
import { buildApp } from '../server/app.js';
import { systemClock } from '../shared/clock.js';
import { StartupError } from '../shared/errors.js';
import { openContext } from './context.js';
import { clickProgress } from './progress.js';

export interface ServeFlags {
  host?: string;
  port?: string;
  database?: string;
  dataDir?: string;
  logLevel?: string;
  demo?: boolean;
}

async function connectRedis(url: string): Promise<Redis> {
  const { Redis: RedisClient } = await import('ioredis');
  const redis = new RedisClient(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new StartupError(`cannot connect to Redis at ${redactUrl(url)}: ${(err as Error).message}`);
  }
  return redis;
}

/** Starts the server: configuration, database (migrated), optional Redis, HTTP, and a clean stop on SIGTERM. */
export async function serve(flags: ServeFlags): Promise<void> {
  const { config, database } = await openContext(flags, { migrate: true });
  const redis = config.redisUrl ? await connectRedis(config.redisUrl) : undefined;

  if (flags.demo && (await databaseIsEmpty(database.db))) {
    const summary = await loadDemo(
      { db: database.db, secret: config.secret, clock: systemClock },
      { progress: await clickProgress() },
    );
    process.stdout.write(`${describeDemo(summary, config.publicUrl)}\n\n`);
  } else if (flags.demo) {
    // A second start on the demo: how to log in and get a key again.
    const reminder = await demoReminder(database.db, config.publicUrl);
    if (reminder) process.stdout.write(`${reminder}\n\n`);
  }

  const app = await buildApp({ config, database, redis, destinationWatchEveryMs: 3_600_000 });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    // Keep-alive connections that finish their last request during shutdown are closed as soon
    // as they are idle, instead of holding the stop until their keep-alive timeout.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
    try {
      await app.close();
      clearInterval(sweep);
      await database.close();
      redis?.disconnect();
    } finally {
      process.exit(0);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await database.close();
    redis?.disconnect();
    throw new StartupError(`cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`);
  }
  const where =
    config.database.dialect === 'sqlite'
      ? `SQLite ${config.database.file}`
      : `PostgreSQL ${redactUrl(config.database.url)}`;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  process.stderr.write(`Kumppani is listening on http://${config.host}:${port} (${where})\n`);
}
