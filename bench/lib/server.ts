import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, type Started, start, waitUntilHealthy } from './process.js';
import { repoRoot } from './report.js';

export const BIN = path.join(repoRoot, 'dist', 'cli', 'main.js');
export const NODE = process.execPath;
const PG_ADMIN_URL = process.env.KUMPPANI_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  dataDir: string;
  /** The database's URL, for opening it from the benchmark. */
  databaseUrl: string;
  /** What `serve --database` is given: nothing for the embedded default. */
  serveUrl: string | undefined;
  /** Removes the data directory and, on PostgreSQL, the database. */
  drop(): Promise<void>;
}

/** A new, migrated database of one dialect for one benchmark run, in a new data directory. */
export async function benchDatabase(dialect: 'SQLite' | 'PostgreSQL', prefix: string): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `kumppani-bench-${prefix}-`));
  if (dialect === 'SQLite') {
    return {
      dataDir,
      databaseUrl: `sqlite://${path.join(dataDir, 'kumppani.db')}`,
      serveUrl: undefined,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `kumppani_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  // serve migrates only the embedded database by itself
  const migrate = start(NODE, [BIN, 'migrate', '--database', databaseUrl, '--data-dir', dataDir]);
  const exit = await migrate.exited;
  if (exit.code !== 0) throw new Error(`migrate failed:\n${migrate.stderr()}`);
  return {
    dataDir,
    databaseUrl,
    serveUrl: databaseUrl,
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** `kumppani serve` on a free port, once `/healthz` answers. */
export async function serve(
  db: Pick<BenchDatabase, 'serveUrl' | 'dataDir'>,
  env?: NodeJS.ProcessEnv,
): Promise<{ server: Started; base: string }> {
  const port = await freePort();
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server under load
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, BIN, 'serve', '--data-dir', db.dataDir, '--port', String(port), '--log-level', 'warn'];
  if (db.serveUrl) args.push('--database', db.serveUrl);
  const server = env ? start(NODE, args, env) : start(NODE, args);
  const base = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(server, `${base}/healthz`, { accept: (a) => a.status === 200, timeoutMs: 60_000 });
  return { server, base };
}
