/**
 * Dashboard queries of `GET /api/v1/analytics` on a program of many clicks and sales over twelve
 * months — 2,000 creators, 20,000 videos (one link each) — at two sizes, to show that their cost
 * follows the number of buckets rather than of rows; on SQLite and on PostgreSQL. Also the peak
 * memory of `kumppani analytics export --events clicks` over every click.
 *
 * Run with `npm run bench:analytics`. The full size is 10,000,000 clicks and 1,000,000 sales
 * (and 1,000,000 / 100,000 beside it); `BENCH_SCALE=0.1` runs a tenth of both, for a busy machine.
 * The rows are written straight into the tables (raw rows and the rollups the server would have
 * written with them, from the same functions), not through HTTP: the benchmark measures reads.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { analyticsService } from '../src/analytics/service.js';
import { parseDatabaseUrl } from '../src/config/config.js';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../src/db/database.js';
import type { Principal } from '../src/shared/principal.js';
import { addTraffic, buildBase, CONTENTS, CREATORS, DAY, END, START } from './lib/analytics-world.js';
import { appendRun, currentCommit, recordMachine } from './lib/history.js';
import {
  benchCommand,
  describeMachine,
  goalMark,
  markdownTable,
  percentile,
  runContext,
  writeSection,
} from './lib/report.js';
import { BIN, benchDatabase, NODE } from './lib/server.js';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
/** The sizes in clicks (sales a tenth), smaller first: `BENCH_SIZES=1000000,5000000` picks others. */
const SIZES = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(',').map(Number)
  : [Math.round(1_000_000 * SCALE), Math.round(10_000_000 * SCALE)];
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const log = (line: string) => process.stderr.write(`[bench:analytics] ${line}\n`);

interface Query {
  name: string;
  query: Record<string, unknown>;
}

async function measure(h: DatabaseHandle, ws: string, programId: string, creator: string) {
  const service = analyticsService({ db: h.db, clock: { now: () => new Date(END) } });
  const principal: Principal = {
    via: 'apiKey',
    credentialId: 'bench',
    userId: null,
    workspace: { id: ws, role: 'owner' },
    creatorId: null,
    isOperator: false,
  };
  const to = new Date(END - DAY).toISOString().slice(0, 10);
  const from = new Date(END - 90 * DAY).toISOString().slice(0, 10);
  const queries: Query[] = [
    { name: '90-day daily series', query: { programId, from, to, groupBy: 'day' } },
    { name: 'top 20 creators (90 days)', query: { programId, from, to, groupBy: 'creator', limit: 20 } },
    { name: 'top 20 videos (90 days)', query: { programId, from, to, groupBy: 'content', limit: 20 } },
    { name: 'country breakdown (90 days)', query: { programId, from, to, groupBy: 'country' } },
    { name: "a creator's own 90-day series", query: { programId, from, to, groupBy: 'day', creatorId: creator } },
  ];
  const results: { name: string; p95: number; p50: number }[] = [];
  for (const q of queries) {
    const times: number[] = [];
    log(`  ${q.name}…`);
    for (let i = 0; i < RUNS + 3; i++) {
      const t0 = performance.now();
      await service.query(principal, { limit: 100, ...q.query } as never);
      if (i >= 3) times.push(performance.now() - t0);
    }
    results.push({ name: q.name, p95: percentile(times, 95), p50: percentile(times, 50) });
    log(`  ${q.name}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`);
  }
  return results;
}

const key = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * One database per run (`BENCH_DIALECTS`, default both, one after the other): the world is built
 * at the smaller size, measured, grown to the larger and measured again; then the export. Each
 * database has its own section of docs/benchmarks.md and its own line in bench/history.jsonl.
 */
async function main() {
  const dialects = (process.env.BENCH_DIALECTS ?? 'SQLite,PostgreSQL').split(',') as ('SQLite' | 'PostgreSQL')[];
  for (const dialect of dialects) await runOn(dialect);
}

async function runOn(dialect: 'SQLite' | 'PostgreSQL') {
  const machine = describeMachine();
  const rows: string[][] = [];
  const goals: string[] = [];
  const figures: Record<string, number> = {};
  const p95At: Record<number, number[]> = {};
  const target = await benchDatabase(dialect, `analytics-${randomBytes(2).toString('hex')}`);
  const h = await openDatabase(parseDatabaseUrl(target.databaseUrl, target.dataDir));
  try {
    await migrateToLatest(h.db);
    const world = await buildBase(h);
    for (const clicks of SIZES) {
      const sales = Math.round(clicks / 10);
      log(
        `${dialect}: growing the world to ${clicks.toLocaleString('en')} clicks and ${sales.toLocaleString('en')} sales`,
      );
      const t0 = Date.now();
      await addTraffic(log, h, world, clicks - world.clicks, sales - world.sales);
      const built = (Date.now() - t0) / 1000;
      log(`${dialect}: written in ${built.toFixed(0)} s`);
      figures[`${clicks}.writeSeconds`] = built;
      const results = await measure(h, world.ws, world.programId, world.creator);
      p95At[clicks] = results.map((r) => r.p95);
      for (const r of results) {
        figures[`${clicks}.${key(r.name)}.p50`] = r.p50;
        figures[`${clicks}.${key(r.name)}.p95`] = r.p95;
        rows.push([clicks.toLocaleString('en'), r.name, `${r.p50.toFixed(1)} ms`, `**${r.p95.toFixed(1)} ms**`]);
      }
    }
    const largest = SIZES[SIZES.length - 1] as number;
    await h.close();
    const rss = exportRssKb(target.databaseUrl, target.dataDir);
    figures.exportPeakRssKiB = rss.kb;
    figures.exportSeconds = rss.seconds;
    goals.push(
      `- CSV export of ${largest.toLocaleString('en')} clicks (\`kumppani analytics export --events clicks\`): peak RSS ${(rss.kb / 1024).toFixed(0)} MB in ${rss.seconds.toFixed(0)} s (goal < 200 MB) — ${goalMark(rss.kb < 200 * 1024)}`,
    );
  } finally {
    await h.close().catch(() => {});
    await target.drop();
  }
  const limit = dialect === 'SQLite' ? 20 : 50;
  const big = p95At[SIZES[SIZES.length - 1] as number] ?? [];
  const small = p95At[SIZES[0] as number] ?? [];
  const worst = Math.max(...big);
  figures.worstP95 = worst;
  goals.push(
    `- every dashboard query p95 ≤ ${limit} ms at ${(SIZES[SIZES.length - 1] as number).toLocaleString('en')} clicks: worst ${worst.toFixed(1)} ms — ${goalMark(worst <= limit)}`,
  );
  const ratio = Math.max(...big.map((b, i) => b / (small[i] as number)));
  figures.worstRatio = ratio;
  goals.push(
    `- p95 at ${(SIZES[SIZES.length - 1] as number).toLocaleString('en')} within 1.5× of p95 at ${(SIZES[0] as number).toLocaleString('en')}: worst ratio ${ratio.toFixed(2)} — ${goalMark(ratio <= 1.5)}`,
  );
  const command = benchCommand('npm run bench:analytics');
  appendRun({
    benchmark: 'analytics',
    variant: dialect.toLowerCase(),
    ...currentCommit(),
    date: machine.date,
    machine: recordMachine(machine),
    cpuReferenceMs: machine.cpuReferenceMs,
    command,
    settings: { sizes: SIZES, runs: RUNS, creators: CREATORS, contents: CONTENTS },
    figures,
    rounds: [],
    failures: [],
  });
  writeSection({
    id: `analytics-${dialect.toLowerCase()}`,
    title: `Analytics dashboard queries on ${dialect}`,
    markdown: [
      runContext(machine, command),
      `- **Size:** ${SIZES.map((s) => `${s.toLocaleString('en')} clicks and ${(s / 10).toLocaleString('en')} sales`).join(', then ')} over 12 months (one world, grown from one size to the next); ${CREATORS.toLocaleString('en')} creators, ${CONTENTS.toLocaleString('en')} videos with a link each and a view count a month; ${RUNS} runs of each query after 3 warm-up runs, in process (no HTTP)`,
      '',
      markdownTable(['Clicks', 'Query', 'p50', 'p95'], rows, '---:|---|---:|---:'),
      '',
      ...goals.map((g) => g.replace(/^- /, `- ${dialect}: `)),
    ].join('\n'),
  });
}

/** Peak RSS of `kumppani analytics export --events clicks` over every click, as GNU time reports it. */
function exportRssKb(url: string, dataDir: string): { kb: number; seconds: number } {
  const t0 = Date.now();
  const res = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      'peak-rss-kb %M',
      NODE,
      BIN,
      'analytics',
      'export',
      '--events',
      'clicks',
      '--from',
      new Date(START).toISOString(),
      '--to',
      new Date(END).toISOString(),
      '--out',
      '/dev/null',
      ...(url.startsWith('postgres') ? ['--database', url] : []),
      '--data-dir',
      dataDir,
    ],
    { encoding: 'utf8', env: { ...process.env, KUMPPANI_LOG_LEVEL: 'warn' } },
  );
  const kb = Number(/peak-rss-kb (\d+)/.exec(res.stderr)?.[1]);
  if (res.status !== 0 || !Number.isFinite(kb)) throw new Error(`export failed: ${res.stderr}`);
  return { kb, seconds: (Date.now() - t0) / 1000 };
}

await main();
