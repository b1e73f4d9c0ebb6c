import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { adminUrl } from './database.js';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Before the PostgreSQL tests: start (or install) the local server when nothing answers. */
export default async function setup(): Promise<void> {
  if (await reachable()) return;
  if (process.env.KUMPPANI_TEST_PG_URL) {
    throw new Error(`PostgreSQL at ${process.env.KUMPPANI_TEST_PG_URL} is not reachable`);
  }
  execFileSync('bash', ['scripts/ensure-postgres.sh'], { stdio: 'inherit' });
  if (!(await reachable())) throw new Error('PostgreSQL is not reachable on 127.0.0.1:5432');
}
