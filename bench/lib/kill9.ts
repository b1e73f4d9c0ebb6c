/**
 * The durability check: a server under redirect load is killed with SIGKILL, then every click
 * id that reached a visitor in a 302 must be found in the database. Used by
 * `npm run check:kill9` and by test/kill9.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/database.js';
import { cleanEnv, freePort, start, waitUntilHealthy } from './process.js';
import { repoRoot } from './report.js';
import { seed } from './seed.js';

const BIN = path.join(repoRoot, 'dist', 'cli', 'main.js');
const USER_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

export interface Kill9Report {
  database: 'SQLite' | 'PostgreSQL';
  /** 302 answers received before the kill, each with its click id. */
  answered: number;
  /** Of those click ids, how many are in the database afterwards. */
  stored: number;
  lost: number;
  /** All clicks of the link found afterwards (some were committed but their answer never arrived). */
  clicksInDatabase: number;
  loadMs: number;
  slowCommitMs: number;
}

export interface Kill9Options {
  /** A PostgreSQL database URL (migrated here); the embedded SQLite file otherwise. */
  databaseUrl?: string | undefined;
  /** How long the load runs before the kill. */
  loadMs?: number;
  /** Concurrent visitors. */
  concurrency?: number;
  /**
   * Makes every commit of the server this much slower, so that many clicks are waiting for
   * their commit at the moment of the kill: a redirect answered before its commit would show.
   */
  slowCommitMs?: number;
}

export async function killUnderLoad(options: Kill9Options = {}): Promise<Kill9Report> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kumppani-kill9-'));
  const databaseUrl = options.databaseUrl ?? `sqlite:${path.join(dataDir, 'kumppani.db')}`;
  const loadMs = options.loadMs ?? 1500;
  const concurrency = options.concurrency ?? 32;
  try {
    const args = ['--data-dir', dataDir, '--database', databaseUrl];
    const migrate = start(process.execPath, [BIN, 'migrate', ...args]);
    const migrated = await migrate.exited;
    if (migrated.code !== 0) throw new Error(`kumppani migrate failed:\n${migrate.stderr()}`);

    const port = await freePort();
    const env = { ...cleanEnv(), KUMPPANI_CHECK_SLOW_COMMIT_MS: String(options.slowCommitMs ?? 0) };
    const server = start(process.execPath, [BIN, 'serve', ...args, '--port', String(port), '--log-level', 'warn'], env);
    const base = `http://127.0.0.1:${port}`;
    await waitUntilHealthy(server, `${base}/healthz`, { accept: (a) => a.status === 200, timeoutMs: 30_000 });
    const s = await seed(base);

    const answered = new Set<string>();
    let killed = false;
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    /** One visit: the click id of a 302, or undefined when no full answer arrived. */
    const visit = () =>
      new Promise<string | undefined>((resolve) => {
        const req = http.get(`${base}/${s.slug}`, { agent, headers: { 'user-agent': USER_AGENT } }, (res) => {
          res.resume();
          res.on('end', () => {
            const location = res.headers.location;
            resolve(
              res.statusCode === 302 && location
                ? (new URL(location).searchParams.get('kclid') ?? undefined)
                : undefined,
            );
          });
          res.on('error', () => resolve(undefined));
        });
        req.on('error', () => resolve(undefined));
      });
    const visitor = async () => {
      while (!killed) {
        const kclid = await visit();
        if (kclid) answered.add(kclid);
      }
    };
    const visitors = Array.from({ length: concurrency }, visitor);
    await sleep(loadMs);
    server.child.kill('SIGKILL');
    await server.exited;
    killed = true;
    await Promise.all(visitors);
    agent.destroy();

    const handle = await openDatabase(parseDatabaseUrl(databaseUrl, dataDir));
    try {
      const rows = await handle.db.selectFrom('clicks').select('id').where('link_id', '=', s.linkId).execute();
      const inDatabase = new Set(rows.map((r) => r.id));
      let stored = 0;
      for (const id of answered) if (inDatabase.has(id)) stored += 1;
      return {
        database: databaseUrl.startsWith('postgres') ? 'PostgreSQL' : 'SQLite',
        answered: answered.size,
        stored,
        lost: answered.size - stored,
        clicksInDatabase: inDatabase.size,
        loadMs,
        slowCommitMs: options.slowCommitMs ?? 0,
      };
    } finally {
      await handle.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function describeKill9(r: Kill9Report): string {
  return (
    `kill -9 under load on ${r.database}: ${r.answered} redirects answered, ${r.stored} of their clicks stored, ` +
    `${r.lost} lost (${r.clicksInDatabase} clicks in the database after ${r.loadMs} ms of load` +
    `${r.slowCommitMs ? `, every commit slowed by ${r.slowCommitMs} ms` : ''})`
  );
}
