import { realpathSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { parseDatabaseUrl } from '../src/config/config.js';
import { openDatabase } from '../src/db/database.js';
import {
  appendRun,
  currentCommit,
  type FigureSpec,
  historyTable,
  type RunRecord,
  readHistory,
  recordMachine,
} from './lib/history.js';
import { benchOptions } from './lib/options.js';
import { freePort, start, stop, waitUntilHealthy } from './lib/process.js';
import {
  type BenchSection,
  benchCommand,
  describeMachine,
  markdownTable,
  median,
  percentile,
  repoRoot,
  writeSection,
} from './lib/report.js';
import { seed } from './lib/seed.js';
import { benchDatabase, NODE, serve } from './lib/server.js';
import { fillClicks, statsLatencies } from './lib/stats-clicks.js';
import { runWrk, wrkAvailable } from './lib/wrk.js';

const BARE = path.join(repoRoot, 'bench', 'lib', 'bare-redirect.mjs');
const CONNECTIONS = 50;
const WARMUP_S = 2;
// Many short interleaved rounds rather than a few long ones: the machine's slow spells, which
// last seconds, then fall into a few rounds of each server instead of deciding a median of three.
const OPTIONS = benchOptions(
  { duration: 5, rounds: 7 },
  {
    'stats-clicks': { env: 'BENCH_STATS_CLICKS', default: '1000000' },
    load: { env: 'BENCH_LOAD' },
    sync: { env: 'BENCH_SYNC', default: 'normal' },
    lose: { env: 'BENCH_LOSE' },
  },
);
const DURATION_S = OPTIONS.duration;
const ROUNDS = OPTIONS.rounds;
const STATS_CLICKS = Number(OPTIONS.extra['stats-clicks']);
/** `--sync full`: the servers' SQLite connections sync the log at every commit (KUMPPANI_SQLITE_SYNC=full). */
const SYNC = OPTIONS.extra.sync ?? 'normal';
if (SYNC !== 'normal' && SYNC !== 'full') throw new Error(`--sync takes normal or full, not ${SYNC}`);
if (!Number.isInteger(STATS_CLICKS) || STATS_CLICKS < 1)
  throw new Error('--stats-clicks must be a positive whole number');
/**
 * `--lose N` checks the check: after each of Kumppani's loads, N of the clicks it stored in that
 * window are deleted before they are counted, as a server that answered without storing would
 * lose them. Every round must then fail for answered clicks not stored (with N above the number
 * of connections, the requests cut off at a round's end cannot hide the loss); it is not a
 * measurement and is not recorded.
 */
const LOSE = OPTIONS.extra.lose === undefined ? 0 : Number(OPTIONS.extra.lose);
if (!Number.isInteger(LOSE) || LOSE < 0) throw new Error('--lose must be a whole number');
const STATS_REQUESTS = 200;
const GOAL_RATIO = 0.6;
/** p99 is judged against the bare server's p99 in the same round, as throughput is. */
const GOAL_P99_RATIO = 1.5;
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
 * `--load wrk` or `--load autocannon` (or BENCH_LOAD) runs one of them only.
 */
const GENERATORS: Generator[] = (() => {
  const chosen = OPTIONS.extra.load;
  if (chosen === 'autocannon') return ['autocannon'];
  const haveWrk = wrkAvailable();
  if (chosen === 'wrk') {
    if (!haveWrk) throw new Error('--load wrk, but wrk is not installed (scripts/ensure-wrk.sh)');
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

/** One round of one generator: the bare server, then Kumppani, and what Kumppani stored meanwhile. */
interface Round {
  generator: Generator;
  bare: Load;
  kumppani: Load;
  /** Clicks on the measured link stored between just before Kumppani's load and just after it. */
  stored: number;
}

interface DialectResult {
  dialect: 'SQLite' | 'PostgreSQL';
  rounds: Round[];
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

/** Deletes the newest `n` clicks of the link: the loss `--lose` pretends. */
async function loseClicks(databaseUrl: string, dataDir: string, linkId: string, n: number): Promise<void> {
  const handle = await openDatabase(parseDatabaseUrl(databaseUrl, dataDir));
  try {
    const newest = handle.db
      .selectFrom('clicks')
      .select('id')
      .where('link_id', '=', linkId)
      .orderBy('id', 'desc')
      .limit(n);
    await handle.db.deleteFrom('clicks').where('id', 'in', newest).execute();
  } finally {
    await handle.close();
  }
}

async function runDialect(dialect: DialectResult['dialect']): Promise<DialectResult> {
  const db = await benchDatabase(dialect, 'redirect');
  const { databaseUrl, dataDir } = db;
  const env = SYNC === 'full' ? { ...process.env, KUMPPANI_SQLITE_SYNC: 'full' } : undefined;
  try {
    let { server, base } = await serve(db, env);
    const s = await seed(base);
    log(`${dialect}: link /${s.slug}`);
    const barePort = await freePort();
    const bare = start(NODE, [BARE, String(barePort), s.slug, s.destination]);
    const bareBase = `http://127.0.0.1:${barePort}`;
    await waitUntilHealthy(bare, `${bareBase}/healthz`, { accept: (a) => a.status === 200 });

    // A short warm-up of each, then interleaved measured rounds of the same length: in each
    // round, each generator against the bare server and then against Kumppani. The clicks are
    // counted around each of Kumppani's loads, so the warm-up's never count as measured ones.
    for (const generator of GENERATORS) {
      await load(`${bareBase}/${s.slug}`, WARMUP_S, generator);
      await load(`${base}/${s.slug}`, WARMUP_S, generator);
    }
    await sleep(500);
    const rounds: Round[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const generator of GENERATORS) {
        const b = await load(`${bareBase}/${s.slug}`, DURATION_S, generator);
        await sleep(500);
        const before = await countClicks(databaseUrl, dataDir, s.linkId);
        const k = await load(`${base}/${s.slug}`, DURATION_S, generator);
        // Requests cut off when the load ended may still be committing: let them finish.
        await sleep(500);
        if (LOSE > 0) await loseClicks(databaseUrl, dataDir, s.linkId, LOSE);
        const stored = (await countClicks(databaseUrl, dataDir, s.linkId)) - before;
        rounds.push({ generator, bare: b, kumppani: k, stored });
        log(
          `${dialect} round ${round} (${generator}): kumppani ${Math.round(k.rps)} req/s p99 ${k.p99.toFixed(1)} ms; bare ${Math.round(b.rps)} req/s p99 ${b.p99.toFixed(1)} ms; ratio ${(k.rps / b.rps).toFixed(2)}; answered ${k.redirects}, stored ${stored}`,
        );
      }
    }
    await stop(bare);
    await stop(server);
    // `--lose` checks the rounds' count only: the statistics are not measured.
    if (LOSE > 0) return { dialect, rounds, statsMs: [], statsClicks: 0, fillMs: 0 };

    log(`${dialect}: writing ${STATS_CLICKS.toLocaleString('en')} clicks on one link for the statistics`);
    const fillMs = await fillClicks(databaseUrl, dataDir, s, STATS_CLICKS);
    ({ server, base } = await serve(db, env));
    const statsMs = await statsLatencies(base, s, STATS_REQUESTS);
    await stop(server);
    log(`${dialect}: stats p95 ${percentile(statsMs, 95).toFixed(1)} ms`);
    return { dialect, rounds, statsMs, statsClicks: STATS_CLICKS, fillMs };
  } finally {
    await db.drop();
  }
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const key = (dialect: DialectResult['dialect']) => (dialect === 'SQLite' ? 'sqlite' : 'postgres');

/**
 * What the run's rounds say about the answers: every click answered in the measured window must
 * be stored, and at most one cut-off request per connection may be stored without an answer.
 */
function roundFailures(r: DialectResult): string[] {
  const failures: string[] = [];
  r.rounds.forEach((round, i) => {
    const where = `${r.dialect} round ${Math.floor(i / GENERATORS.length) + 1} (${round.generator})`;
    const answered = round.kumppani.redirects;
    if (round.stored < answered) failures.push(`${where}: ${answered - round.stored} answered clicks not stored`);
    if (round.stored > answered + CONNECTIONS) {
      failures.push(`${where}: ${round.stored - answered} clicks stored beyond the ${answered} answered`);
    }
    const other = round.kumppani.other + round.kumppani.errors;
    if (other > 0) failures.push(`${where}: ${other} answers other than a redirect, or errors`);
  });
  return failures;
}

/** The run's headline figures, by name: medians over its rounds. */
function figuresOf(results: DialectResult[]): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const r of results) {
    for (const generator of GENERATORS) {
      const rounds = r.rounds.filter((x) => x.generator === generator);
      const k = `${key(r.dialect)}.${generator}`;
      figures[`${k}.ratio`] = median(rounds.map((x) => x.kumppani.rps / x.bare.rps));
      figures[`${k}.p99Ratio`] = median(rounds.map((x) => x.kumppani.p99 / x.bare.p99));
      figures[`${k}.rps`] = median(rounds.map((x) => x.kumppani.rps));
      figures[`${k}.bareRps`] = median(rounds.map((x) => x.bare.rps));
      figures[`${k}.p99`] = median(rounds.map((x) => x.kumppani.p99));
      figures[`${k}.bareP99`] = median(rounds.map((x) => x.bare.p99));
      figures[`${k}.answered`] = rounds.reduce((n, x) => n + x.kumppani.redirects, 0);
      figures[`${k}.stored`] = rounds.reduce((n, x) => n + x.stored, 0);
    }
    figures[`${key(r.dialect)}.statsP95`] = percentile(r.statsMs, 95);
    figures[`${key(r.dialect)}.statsMedian`] = median(r.statsMs);
  }
  return figures;
}

function figureSpecs(results: DialectResult[]): FigureSpec[] {
  const specs: FigureSpec[] = [];
  const ms = (v: number) => `${fmt(v, 1)} ms`;
  const times = (v: number) => `${v.toFixed(2)}×`;
  for (const r of results) {
    GENERATORS.forEach((generator, g) => {
      const k = `${key(r.dialect)}.${generator}`;
      const judged = r.dialect === 'SQLite' && g === 0;
      const on = `${r.dialect}, ${generator}`;
      specs.push(
        {
          key: `${k}.ratio`,
          label: `${on}: req/s, Kumppani ÷ bare`,
          format: (v) => v.toFixed(2),
          ...(judged ? { goal: { text: `≥ ${GOAL_RATIO}`, met: (v: number) => v >= GOAL_RATIO } } : {}),
        },
        {
          key: `${k}.p99Ratio`,
          label: `${on}: p99, Kumppani ÷ bare`,
          format: times,
          ...(judged ? { goal: { text: `≤ ${GOAL_P99_RATIO}×`, met: (v: number) => v <= GOAL_P99_RATIO } } : {}),
        },
        { key: `${k}.rps`, label: `${on}: Kumppani req/s`, format: (v) => fmt(v) },
        { key: `${k}.bareRps`, label: `${on}: bare req/s`, format: (v) => fmt(v) },
        { key: `${k}.p99`, label: `${on}: Kumppani p99`, format: ms },
        { key: `${k}.bareP99`, label: `${on}: bare p99`, format: ms },
      );
    });
    specs.push({
      key: `${key(r.dialect)}.statsP95`,
      label: `${r.dialect}: statistics of ${fmt(r.statsClicks)} clicks, p95`,
      format: ms,
      goal: { text: `≤ ${GOAL_STATS_P95_MS} ms`, met: (v) => v <= GOAL_STATS_P95_MS },
    });
  }
  return specs;
}

function render(run: RunRecord, results: DialectResult[], history: RunRecord[]): BenchSection {
  const rounds: string[][] = [];
  const answers: string[][] = [];
  for (const r of results) {
    for (const generator of GENERATORS) {
      const mine = r.rounds.filter((x) => x.generator === generator);
      const digits = generator === 'wrk' ? 1 : 0;
      rounds.push([
        r.dialect,
        generator,
        mine.map((x) => (x.kumppani.rps / x.bare.rps).toFixed(2)).join(', '),
        mine.map((x) => (x.kumppani.p99 / x.bare.p99).toFixed(2)).join(', '),
        mine.map((x) => `${fmt(x.kumppani.p99, digits)}/${fmt(x.bare.p99, digits)}`).join(', '),
      ]);
      const answered = mine.reduce((n, x) => n + x.kumppani.redirects, 0);
      const stored = mine.reduce((n, x) => n + x.stored, 0);
      answers.push([r.dialect, generator, fmt(answered), fmt(stored)]);
    }
  }
  const stats = results.map((r) => [
    r.dialect,
    `${fmt(median(r.statsMs), 1)} / ${fmt(percentile(r.statsMs, 95), 1)} ms`,
    `${fmt(r.fillMs / 1000, 1)} s (${fmt(r.statsClicks / (r.fillMs / 1000))} clicks/s)`,
  ]);
  const syncNote =
    SYNC === 'full'
      ? ' Every server here runs with `KUMPPANI_SQLITE_SYNC=full`: its SQLite connections sync the log at each commit.'
      : '';
  const markdown = `- **Latest run:** ${run.date}, commit \`${run.commit.slice(0, 12)}\`${run.dirty ? ' (with uncommitted changes)' : ''}
- **Machine:** ${run.machine.cpuModel}, ${run.machine.cores} cores, ${(run.machine.totalRamBytes / 1024 ** 3).toFixed(1)} GiB RAM; Node ${run.machine.node}; ${run.machine.os}; CPU reference ${run.cpuReferenceMs} ms (200,000 SHA-256 digests; lower is faster)
- **Command:** \`${run.command}\` (every figure of this section)
- **Load:** ${GENERATORS.map((g) => (g === 'wrk' ? 'wrk (one thread)' : "autocannon (in the benchmark's process)")).join(' and ')}, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${DURATION_S} s of each generator against each server after a ${WARMUP_S} s warm-up of each; the same request every time (\`GET /<slug>\` with an iPhone Safari user agent and a TikTok referrer), on the same machine as the servers. The goals are judged on ${GENERATORS[0]}${GENERATORS.length > 1 ? ", which takes less of the machine's cores from the servers; autocannon is shown beside it" : ''}.${syncNote}

What is measured: \`kumppani serve\` answering \`GET /{slug}\` with the full click capture — cache lookup, user-agent
classification, visitor hash, country, the click and its rollups committed by group commit **before** the 302 is sent — beside
a bare \`node:http\` server (\`bench/lib/bare-redirect.mjs\`) answering the same 302 with a click id from a \`Map\` and
storing nothing. Each round's ratios are Kumppani's over the bare server's in that round: requests per second (wrk's total
over its run, autocannon's mean of its per-second counts) and p99 latency; a run's figure is the median of its rounds. The
statistics figure is ${STATS_REQUESTS} sequential \`GET /api/v1/links/{id}/stats\` (no date filter: all 60 days) on a second
link holding ${fmt(STATS_CLICKS)} clicks spread over 60 days, 10 countries, 7 device/browser pairs and 6 referrers, 5 % bots;
statistics read the rollups only.

${historyTable(run, history, figureSpecs(results))}

The latest run, round by round (Kumppani ÷ bare):

${markdownTable(['Database', 'Load', 'req/s ratio per round', 'p99 ratio per round', 'p99 ms per round (Kumppani/bare)'], rounds, 'llrrr')}

Answered and stored in the measured rounds only (the warm-up is not counted): the redirects the generator received from
Kumppani (autocannon counts its 302s; wrk every answer below 400) and the clicks stored on the link during those loads. The
run fails if one answered click is missing, or if more clicks were stored than the answers plus one cut-off request per
connection.

${markdownTable(['Database', 'Load', 'Answered', 'Stored'], answers, 'llrr')}

${markdownTable(['Database', 'Statistics median / p95', `Writing the ${fmt(STATS_CLICKS)} clicks (same batch writer)`], stats, 'lrr')}
${run.failures.length > 0 ? `\n❌ This run failed its checks: ${run.failures.join('; ')}\n` : ''}`;
  return {
    id: SYNC === 'full' ? 'redirect-sync-full' : 'redirect',
    title:
      SYNC === 'full'
        ? 'Redirect throughput with `KUMPPANI_SQLITE_SYNC=full`'
        : 'Redirect throughput and link statistics',
    markdown,
  };
}

async function runDialects(): Promise<DialectResult[]> {
  const results: DialectResult[] = [];
  if (OPTIONS.dialects.includes('sqlite')) results.push(await runDialect('SQLite'));
  if (OPTIONS.dialects.includes('postgres')) results.push(await runDialect('PostgreSQL'));
  return results;
}

export async function runRedirectBenchmark(): Promise<{ section: BenchSection; run: RunRecord }> {
  const machine = describeMachine();
  const results = await runDialects();
  const run: RunRecord = {
    benchmark: 'redirect',
    variant: SYNC === 'full' ? 'sync-full' : '',
    ...currentCommit(),
    date: machine.date,
    machine: recordMachine(machine),
    cpuReferenceMs: machine.cpuReferenceMs,
    command: benchCommand('npm run bench:redirect'),
    settings: {
      durationS: DURATION_S,
      rounds: ROUNDS,
      warmupS: WARMUP_S,
      connections: CONNECTIONS,
      generators: GENERATORS,
      dialects: OPTIONS.dialects,
      statsClicks: STATS_CLICKS,
      sync: SYNC,
    },
    figures: figuresOf(results),
    rounds: results.map((r) => ({ dialect: r.dialect, rounds: r.rounds, statsMs: r.statsMs, fillMs: r.fillMs })),
    failures: results.flatMap(roundFailures),
  };
  appendRun(run);
  return { section: render(run, results, readHistory()), run };
}

const isMain =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (isMain && LOSE > 0) {
  // The check of the check: every round must miss the clicks taken away, and be failed for it.
  const results = await runDialects();
  const failures = results.flatMap(roundFailures);
  const rounds = results.flatMap((r) => r.rounds);
  const caught = rounds.filter((r) => r.stored < r.kumppani.redirects).length;
  process.stdout.write(`${failures.join('\n')}\n`);
  if (caught === rounds.length && failures.length === rounds.length) {
    process.stdout.write(
      `[bench:redirect] --lose ${LOSE}: every one of ${rounds.length} rounds failed for its lost clicks, as it must\n`,
    );
  } else {
    process.stderr.write(
      `[bench:redirect] --lose ${LOSE}: only ${caught} of ${rounds.length} rounds caught the loss\n`,
    );
    process.exitCode = 1;
  }
} else if (isMain) {
  const { section, run } = await runRedirectBenchmark();
  writeSection(section);
  process.stdout.write(`${section.markdown}\n`);
  if (run.failures.length > 0) {
    process.stderr.write(`[bench:redirect] the run failed its checks:\n${run.failures.join('\n')}\n`);
    process.exitCode = 1;
  }
}
