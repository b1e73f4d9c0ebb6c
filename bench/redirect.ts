import { realpathSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { ClickRecord } from '../src/clicks/click.js';
import { writeClickBatch } from '../src/clicks/writer.js';
import { parseDatabaseUrl } from '../src/config/config.js';
import { openDatabase } from '../src/db/database.js';
import { newId } from '../src/shared/ids.js';
import { freePort, start, stop, waitUntilHealthy } from './lib/process.js';
import {
  type BenchSection,
  benchCommand,
  describeMachine,
  goalMark,
  markdownTable,
  median,
  percentile,
  repoRoot,
  runContext,
  writeSection,
} from './lib/report.js';
import { type Seeded, seed } from './lib/seed.js';
import { benchDatabase, NODE, serve } from './lib/server.js';
import { runWrk, wrkAvailable } from './lib/wrk.js';

const BARE = path.join(repoRoot, 'bench', 'lib', 'bare-redirect.mjs');
const CONNECTIONS = 50;
// Many short interleaved rounds rather than a few long ones: the machine's slow spells, which
// last seconds, then fall into a few rounds of each server instead of deciding a median of three.
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const STATS_CLICKS = Number(process.env.BENCH_STATS_CLICKS ?? 1_000_000);
const STATS_REQUESTS = 200;
const GOAL_RATIO = 0.6;
const GOAL_P99_MS = 5;
const GOAL_STATS_P95_MS = 20;
const USER_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

const log = (line: string) => process.stderr.write(`[bench:redirect] ${line}\n`);

interface Load {
  rps: number;
  p50: number;
  p99: number;
  redirects: number;
  other: number;
  errors: number;
}

type Generator = 'wrk' | 'autocannon';

/**
 * The load generators of this run, the first of which the goals are judged on: wrk (one
 * thread, written in C) when it is installed, which leaves more of a small machine to the two
 * servers, and autocannon (in this process) beside it, as earlier runs measured.
 * BENCH_LOAD=wrk or BENCH_LOAD=autocannon runs one of them only.
 */
const GENERATORS: Generator[] = (() => {
  const chosen = process.env.BENCH_LOAD;
  if (chosen === 'autocannon') return ['autocannon'];
  const haveWrk = wrkAvailable();
  if (chosen === 'wrk') {
    if (!haveWrk) throw new Error('BENCH_LOAD=wrk, but wrk is not installed (scripts/ensure-wrk.sh)');
    return ['wrk'];
  }
  return haveWrk ? ['wrk', 'autocannon'] : ['autocannon'];
})();

const HEADERS = { 'user-agent': USER_AGENT, referer: 'https://www.tiktok.com/' };

async function load(url: string, seconds: number, generator: Generator): Promise<Load> {
  if (generator === 'wrk') {
    const r = await runWrk({ url, connections: CONNECTIONS, seconds, headers: HEADERS });
    return {
      rps: r.rps,
      p50: r.p50,
      p99: r.p99,
      redirects: r.requests - r.statusErrors,
      other: r.statusErrors,
      errors: r.socketErrors,
    };
  }
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: HEADERS });
  const codes = result.statusCodeStats as unknown as Record<string, { count: number } | undefined>;
  const redirects = codes['302']?.count ?? 0;
  const total = Object.values(codes).reduce((sum, c) => sum + (c?.count ?? 0), 0);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    redirects,
    other: total - redirects,
    errors: result.errors + result.timeouts,
  };
}

const COUNTRIES = ['FI', 'FI', 'FI', 'SE', 'EE', 'DE', 'US', 'GB', 'NO', 'DK'];
const DEVICES: [string, string, string][] = [
  ['mobile', 'Mobile Safari', 'iOS'],
  ['mobile', 'Chrome Mobile', 'Android'],
  ['mobile', 'Instagram', 'iOS'],
  ['mobile', 'TikTok', 'Android'],
  ['tablet', 'Mobile Safari', 'iOS'],
  ['desktop', 'Chrome', 'Windows'],
  ['desktop', 'Safari', 'macOS'],
];
const REFERRERS = ['tiktok.com', 'tiktok.com', 'instagram.com', 'l.instagram.com', 'youtube.com', 'direct'];

/** Writes `count` clicks spread over 60 days on one link, through the same batch writer as the redirect. */
async function fillClicks(databaseUrl: string, dataDir: string, s: Seeded, count: number): Promise<number> {
  const handle = await openDatabase(parseDatabaseUrl(databaseUrl, dataDir));
  const started = performance.now();
  try {
    const now = Date.now();
    const batchSize = 5000;
    let rng = 42;
    const next = () => {
      rng = (rng * 1103515245 + 12345) % 2147483648;
      return rng / 2147483648;
    };
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
    for (let written = 0; written < count; written += batchSize) {
      const batch: ClickRecord[] = [];
      const n = Math.min(batchSize, count - written);
      for (let i = 0; i < n; i++) {
        // Older clicks first, so that the unique-visitor marks behave as they would live.
        const at = new Date(now - 60 * 86_400_000 + ((written + i) / count) * 60 * 86_400_000);
        const [device, browser, os] = pick(DEVICES);
        const isBot = next() < 0.05;
        batch.push({
          id: newId('click', at.getTime()),
          linkId: s.statsLinkId,
          programId: s.programId,
          creatorId: s.creatorId,
          contentId: null,
          placement: 'bio',
          at,
          visitorHash: `v${Math.floor(next() * 400_000)}`,
          device: isBot ? 'bot' : device,
          browser,
          os,
          country: pick(COUNTRIES),
          referrer: pick(REFERRERS),
          isBot,
        });
      }
      await handle.db.transaction().execute((tx) => writeClickBatch(tx, batch));
      if ((written / batchSize) % 20 === 0)
        log(`  ${written.toLocaleString('en')} / ${count.toLocaleString('en')} clicks`);
    }
  } finally {
    await handle.close();
  }
  return performance.now() - started;
}

async function statsLatencies(base: string, s: Seeded): Promise<number[]> {
  const url = `${base}/api/v1/links/${s.statsLinkId}/stats`;
  const headers = { authorization: `Bearer ${s.token}` };
  for (let i = 0; i < 10; i++) await (await fetch(url, { headers })).arrayBuffer(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < STATS_REQUESTS; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    const body = (await res.json()) as { clicks: number };
    times.push(performance.now() - t0);
    if (res.status !== 200 || body.clicks <= 0) throw new Error(`stats answered ${res.status}`);
  }
  return times;
}

interface Pair {
  kumppani: Load[];
  bare: Load[];
}

interface DialectResult {
  dialect: 'SQLite' | 'PostgreSQL';
  /** By load generator, in the order of GENERATORS. */
  loads: [Generator, Pair][];
  stored: number;
  answered: number;
  statsMs: number[];
  statsClicks: number;
  fillMs: number;
}

async function countClicks(databaseUrl: string, dataDir: string, linkId: string): Promise<number> {
  const handle = await openDatabase(parseDatabaseUrl(databaseUrl, dataDir));
  try {
    const row = await handle.db
      .selectFrom('clicks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('link_id', '=', linkId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await handle.close();
  }
}

async function runDialect(dialect: DialectResult['dialect']): Promise<DialectResult> {
  const db = await benchDatabase(dialect, 'redirect');
  const { databaseUrl, dataDir } = db;
  try {
    let { server, base } = await serve(db);
    const s = await seed(base);
    log(`${dialect}: link /${s.slug}`);
    const barePort = await freePort();
    const bare = start(NODE, [BARE, String(barePort), s.slug, s.destination]);
    const bareBase = `http://127.0.0.1:${barePort}`;
    await waitUntilHealthy(bare, `${bareBase}/healthz`, { accept: (a) => a.status === 200 });

    // A short warm-up of each, then interleaved measured rounds of the same length: in each
    // round, each generator against the bare server and then against Kumppani.
    for (const generator of GENERATORS) {
      await load(`${bareBase}/${s.slug}`, 2, generator);
      await load(`${base}/${s.slug}`, 2, generator);
    }
    const loads: [Generator, Pair][] = GENERATORS.map((g) => [g, { kumppani: [], bare: [] }]);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [generator, pair] of loads) {
        const b = await load(`${bareBase}/${s.slug}`, DURATION_S, generator);
        pair.bare.push(b);
        await sleep(500);
        const k = await load(`${base}/${s.slug}`, DURATION_S, generator);
        pair.kumppani.push(k);
        log(
          `${dialect} round ${round} (${generator}): kumppani ${Math.round(k.rps)} req/s p99 ${k.p99.toFixed(1)} ms; bare ${Math.round(b.rps)} req/s p99 ${b.p99.toFixed(1)} ms; ratio ${(k.rps / b.rps).toFixed(2)}`,
        );
        await sleep(500);
      }
    }
    await stop(bare);
    await stop(server);
    const answered = loads.reduce((sum, [, pair]) => sum + pair.kumppani.reduce((n, r) => n + r.redirects, 0), 0);
    const stored = (await countClicks(databaseUrl, dataDir, s.linkId)) - 0;

    log(`${dialect}: writing ${STATS_CLICKS.toLocaleString('en')} clicks on one link for the statistics`);
    const fillMs = await fillClicks(databaseUrl, dataDir, s, STATS_CLICKS);
    ({ server, base } = await serve(db));
    const statsMs = await statsLatencies(base, s);
    await stop(server);
    log(`${dialect}: stats p95 ${percentile(statsMs, 95).toFixed(1)} ms`);
    return { dialect, loads, stored, answered, statsMs, statsClicks: STATS_CLICKS, fillMs };
  } finally {
    await db.drop();
  }
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function render(results: DialectResult[]): BenchSection {
  const machine = describeMachine();
  const rows: string[][] = [];
  const stats: string[][] = [];
  const goals: string[] = [];
  for (const r of results) {
    r.loads.forEach(([generator, pair], g) => {
      const kRps = median(pair.kumppani.map((l) => l.rps));
      const bRps = median(pair.bare.map((l) => l.rps));
      const ratios = pair.kumppani.map((k, i) => k.rps / (pair.bare[i]?.rps ?? Number.NaN));
      const ratio = median(ratios);
      const kP99 = median(pair.kumppani.map((l) => l.p99));
      const bP99 = median(pair.bare.map((l) => l.p99));
      const digits = generator === 'wrk' ? 1 : 0;
      rows.push([
        r.dialect,
        g === 0 ? `**${generator}**` : generator,
        `${fmt(kRps)} req/s`,
        `${fmt(bRps)} req/s`,
        `**${ratio.toFixed(2)}** (${ratios.map((x) => x.toFixed(2)).join(', ')})`,
        `${fmt(median(pair.kumppani.map((l) => l.p50)), digits)} / ${fmt(kP99, digits)} ms`,
        `${fmt(median(pair.bare.map((l) => l.p50)), digits)} / ${fmt(bP99, digits)} ms`,
      ]);
      const other = pair.kumppani.reduce((n, l) => n + l.other + l.errors, 0);
      if (other > 0)
        goals.push(`- ${r.dialect} (${generator}): ${other} answers other than 302 or errors during the load.`);
      if (r.dialect === 'SQLite') {
        const judged = g === 0 ? '' : ' (for comparison; not judged)';
        goals.push(
          `- Ratio ≥ ${GOAL_RATIO} on SQLite under ${generator}: ${ratio.toFixed(2)} — ${g === 0 ? goalMark(ratio >= GOAL_RATIO) : 'ℹ️'}${judged}`,
        );
        goals.push(
          `- p99 ≤ ${GOAL_P99_MS} ms on SQLite under ${generator}: ${fmt(kP99, digits)} ms — ${g === 0 ? goalMark(kP99 <= GOAL_P99_MS) : 'ℹ️'}${judged}`,
        );
      }
    });
    const statsP95 = percentile(r.statsMs, 95);
    stats.push([
      r.dialect,
      `${fmt(r.answered)} / ${fmt(r.stored)}`,
      `${fmt(median(r.statsMs), 1)} / **${fmt(statsP95, 1)}** ms`,
    ]);
    goals.push(
      `- Statistics of a link with ${fmt(r.statsClicks)} clicks, p95 ≤ ${GOAL_STATS_P95_MS} ms on ${r.dialect}: ${fmt(statsP95, 1)} ms — ${goalMark(statsP95 <= GOAL_STATS_P95_MS)} (the ${fmt(r.statsClicks)} clicks were written in ${fmt(r.fillMs / 1000, 1)} s through the same batch writer, ${fmt(r.statsClicks / (r.fillMs / 1000))} clicks/s)`,
    );
  }
  const markdown = `${runContext(machine, benchCommand('npm run bench:redirect'))}
- **Load:** ${GENERATORS.map((g) => (g === 'wrk' ? 'wrk (one thread)' : "autocannon (in the benchmark's process)")).join(' and ')}, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${DURATION_S} s of each generator against each server after a 2 s warm-up of each; the same request every time (\`GET /<slug>\` with an iPhone Safari user agent and a TikTok referrer), on the same machine as the servers. The goals are judged on ${GENERATORS[0]}${GENERATORS.length > 1 ? ", which takes less of the machine's cores from the servers; autocannon is shown beside it" : ''}. Requests per second are wrk's total over its run and autocannon's mean of its per-second counts.

What is measured: \`kumppani serve\` answering \`GET /{slug}\` with the full click capture — cache lookup, user-agent
classification, visitor hash, country, the click and its rollups committed by group commit **before** the 302 is sent — beside
a bare \`node:http\` server (\`bench/lib/bare-redirect.mjs\`) answering the same 302 with a click id from a \`Map\` and
storing nothing. Ratio is Kumppani's requests per second over the bare server's, per round; the median is shown, with every
round's ratio. "Answered / stored" counts the answers the generators received from Kumppani (autocannon counts its
302s; wrk counts every answer below 400, so a 2xx would pass as one) and the clicks found in the database afterwards (stored may exceed answered by the
warm-up and the requests cut off when a round ended). The statistics figure is ${STATS_REQUESTS} sequential
\`GET /api/v1/links/{id}/stats\` (no date filter: all 60 days) on a second link holding ${fmt(STATS_CLICKS)} clicks spread over 60 days,
10 countries, 7 device/browser pairs and 6 referrers, 5 % bots; statistics read the rollups only.

${markdownTable(['Database', 'Load', 'Kumppani', 'Bare node:http', 'Ratio', 'Kumppani p50 / p99', 'Bare p50 / p99'], rows, 'llrrrrr')}

${markdownTable(['Database', 'Answered / stored', 'Stats median / p95'], stats, 'lrr')}

${goals.join('\n')}
`;
  return { id: 'redirect', title: 'Redirect throughput and link statistics', markdown };
}

export async function runRedirectBenchmark(): Promise<BenchSection> {
  const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
  const results: DialectResult[] = [];
  if (dialects.includes('sqlite')) results.push(await runDialect('SQLite'));
  if (dialects.includes('postgres')) results.push(await runDialect('PostgreSQL'));
  return render(results);
}

const isMain =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (isMain) {
  const section = await runRedirectBenchmark();
  writeSection(section);
  process.stdout.write(`${section.markdown}\n`);
}
