/**
 * The durability check: a server under redirect load is killed with SIGKILL, then every click
 * id that reached a visitor in a 302 must be found in the database. A check may kill the server
 * several times, restarting it on the same database in between: the clicks of earlier rounds must
 * survive the restart too. Used by `npm run check:kill9` and by test/kill9.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/database.js';
import { cleanEnv, freePort, type Started, start, waitUntilHealthy } from './process.js';
import { repoRoot } from './report.js';
import { type Seeded, seed } from './seed.js';

const BIN = path.join(repoRoot, 'dist', 'cli', 'main.js');
const USER_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

export interface Kill9Report {
  database: 'SQLite' | 'PostgreSQL';
  /** 1 for the first kill; later rounds restarted the server on the database the last kill left. */
  round: number;
  /** 302 answers received before the kill, each with its click id. */
  answered: number;
  /** Of those click ids, how many are in the database afterwards. */
  stored: number;
  lost: number;
  /** Clicks answered and stored in earlier rounds that are gone after this round's restart and kill. */
  lostEarlier: number;
  /** Clicks of the link written in this round (some were committed but their answer never arrived). */
  clicksInDatabase: number;
  loadMs: number;
  slowCommitMs: number;
}

export interface Kill9Round {
  /** How long the load runs before the kill. */
  loadMs?: number;
  /**
   * Makes every commit of the server this much slower, so that many clicks are waiting for
   * their commit at the moment of the kill: a redirect answered before its commit would show.
   */
  slowCommitMs?: number;
}

export interface Kill9Options extends Kill9Round {
  /** A PostgreSQL database URL (migrated here); the embedded SQLite file otherwise. */
  databaseUrl?: string | undefined;
  /** Concurrent visitors. */
  concurrency?: number;
}

/** Migrates, starts, seeds, loads and kills the server once. */
export async function killUnderLoad(options: Kill9Options = {}): Promise<Kill9Report> {
  const [report] = await killUnderLoadRepeatedly(options, [options]);
  if (!report) throw new Error('no round ran');
  return report;
}

/**
 * Migrates the database, then for each round starts the server on it, follows the link with
 * `concurrency` visitors for the round's `loadMs`, kills the server with SIGKILL and checks the
 * database. The link is made through the API in the first round.
 */
export async function killUnderLoadRepeatedly(
  options: Omit<Kill9Options, 'loadMs' | 'slowCommitMs'>,
  rounds: Kill9Round[],
): Promise<Kill9Report[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kumppani-kill9-'));
  const databaseUrl = options.databaseUrl ?? `sqlite:${path.join(dataDir, 'kumppani.db')}`;
  const database = databaseUrl.startsWith('postgres') ? 'PostgreSQL' : 'SQLite';
  const concurrency = options.concurrency ?? 32;
  try {
    const args = ['--data-dir', dataDir, '--database', databaseUrl];
    const migrate = start(process.execPath, [BIN, 'migrate', ...args]);
    const migrated = await migrate.exited;
    if (migrated.code !== 0) throw new Error(`kumppani migrate failed:\n${migrate.stderr()}`);

    let seeded: Seeded | undefined;
    const earlier = new Set<string>();
    let clicksBefore = 0;
    const reports: Kill9Report[] = [];
    for (const [i, round] of rounds.entries()) {
      const loadMs = round.loadMs ?? 1500;
      const slowCommitMs = round.slowCommitMs ?? 0;
      const port = await freePort();
      const env = { ...cleanEnv(), KUMPPANI_CHECK_SLOW_COMMIT_MS: String(slowCommitMs) };
      const server = start(
        process.execPath,
        [BIN, 'serve', ...args, '--port', String(port), '--log-level', 'warn'],
        env,
      );
      const base = `http://127.0.0.1:${port}`;
      await waitUntilHealthy(server, `${base}/healthz`, { accept: (a) => a.status === 200, timeoutMs: 30_000 });
      seeded ??= await seed(base);
      const answered = await loadThenKill(server, `${base}/${seeded.slug}`, concurrency, loadMs);

      // Straight from the database file (or PostgreSQL), with the server gone.
      const inDatabase = await clickIds(databaseUrl, dataDir, seeded.linkId);
      let stored = 0;
      for (const id of answered) if (inDatabase.has(id)) stored += 1;
      let lostEarlier = 0;
      for (const id of earlier) if (!inDatabase.has(id)) lostEarlier += 1;
      reports.push({
        database,
        round: i + 1,
        answered: answered.size,
        stored,
        lost: answered.size - stored,
        lostEarlier,
        clicksInDatabase: inDatabase.size - clicksBefore,
        loadMs,
        slowCommitMs,
      });
      for (const id of answered) if (inDatabase.has(id)) earlier.add(id);
      clicksBefore = inDatabase.size;
    }
    return reports;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Follows `url` with `concurrency` keep-alive visitors, kills the server with SIGKILL after
 * `loadMs` and returns the click ids of every 302 that fully arrived before the kill.
 */
async function loadThenKill(server: Started, url: string, concurrency: number, loadMs: number): Promise<Set<string>> {
  const answered = new Set<string>();
  let killed = false;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  /** One visit: the click id of a 302, or undefined when no full answer arrived. */
  const visit = () =>
    new Promise<string | undefined>((resolve) => {
      const req = http.get(url, { agent, headers: { 'user-agent': USER_AGENT } }, (res) => {
        res.resume();
        res.on('end', () => {
          const location = res.headers.location;
          resolve(
            res.statusCode === 302 && location ? (new URL(location).searchParams.get('kclid') ?? undefined) : undefined,
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
  return answered;
}

/** The ids of the link's clicks, read from the database the killed server left. */
async function clickIds(databaseUrl: string, dataDir: string, linkId: string): Promise<Set<string>> {
  const handle = await openDatabase(parseDatabaseUrl(databaseUrl, dataDir));
  try {
    const rows = await handle.db.selectFrom('clicks').select('id').where('link_id', '=', linkId).execute();
    return new Set(rows.map((r) => r.id));
  } finally {
    await handle.close();
  }
}

export function describeKill9(r: Kill9Report): string {
  const restarted = r.round > 1 ? ` after restart ${r.round - 1}` : '';
  const earlier = r.round > 1 ? `, ${r.lostEarlier} of the earlier rounds' lost` : '';
  return (
    `kill -9 under load on ${r.database}${restarted}: ${r.answered} redirects answered, ` +
    `${r.stored} of their clicks stored, ${r.lost} lost${earlier} (${r.clicksInDatabase} clicks stored in ` +
    `${r.loadMs} ms of load${r.slowCommitMs ? `, every commit slowed by ${r.slowCommitMs} ms` : ''})`
  );
}
