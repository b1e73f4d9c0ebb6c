/**
 * Attributed sales per second through `POST /api/v1/track/sale` — attribution, commission rules,
 * fraud checks and the ledger write included — beside the same server answering an empty
 * authenticated POST (`/api/v1/track/ping`), under the same load generator in one run. On SQLite
 * and on PostgreSQL. Run with `npm run bench:track` (or `npm run bench` for every benchmark).
 */
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
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
import { stop } from './lib/process.js';
import { type BenchSection, benchCommand, describeMachine, markdownTable, median, writeSection } from './lib/report.js';
import { api } from './lib/seed.js';
import { benchDatabase, serve } from './lib/server.js';

const CONNECTIONS = 50;
const OPTIONS = benchOptions({ duration: 10, rounds: 3 });
const DURATION_S = OPTIONS.duration;
const ROUNDS = OPTIONS.rounds;
const WARMUP_S = 5;
const GOAL_RATIO = 0.3;
const GOAL_SALES = 3000;
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

const log = (line: string) => process.stderr.write(`[bench:track] ${line}\n`);

interface Load {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  other: number;
}

interface World {
  key: string;
  programId: string;
  productId: string;
  clickIds: string[];
}

/** A brand API key, a product with its own rate, a creator's code and real clicks to attribute to. */
export async function world(base: string): Promise<World> {
  const tag = randomBytes(3).toString('hex');
  const brand = await api(base, 'POST', '/api/v1/auth/signup', undefined, {
    email: `track-${tag}@example.com`,
    password: 'correct-horse-battery',
    name: 'Track Brand',
    kind: 'brand',
    workspaceName: 'Track Oy',
  });
  const program = await api(base, 'POST', '/api/v1/programs', brand.token, {
    name: 'Track program',
    currency: 'EUR',
    allowedDomains: ['shop.example.com'],
    defaultRate: { type: 'percent', bps: 1500 },
  });
  const creator = await api(base, 'POST', '/api/v1/auth/signup', undefined, {
    email: `track-creator-${tag}@example.com`,
    password: 'correct-horse-battery',
    name: 'Dana Vaughan',
    kind: 'creator',
  });
  const invite = await api(base, 'POST', `/api/v1/programs/${program.id}/enrollments`, brand.token, {
    creatorEmail: `track-creator-${tag}@example.com`,
  });
  await api(base, 'PATCH', `/api/v1/enrollments/${invite.id}`, creator.token, { status: 'approved' });
  const product = await api(base, 'POST', `/api/v1/programs/${program.id}/products`, brand.token, {
    externalId: 'synergy-leggings',
    name: 'Synergy leggings',
    price: 6000,
    rate: { type: 'percent', bps: 2000 },
  });
  await api(base, 'POST', `/api/v1/programs/${program.id}/codes`, brand.token, {
    creatorId: creator.creator.id,
    code: 'DANA15',
    discount: { type: 'percent', bps: 1500 },
  });
  const link = await api(base, 'POST', '/api/v1/links', creator.token, {
    programId: program.id,
    slug: `dana/track-${tag}`,
    destinationUrl: 'https://shop.example.com/',
  });
  const clickIds: string[] = [];
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${base}/${link.slug}`, {
      redirect: 'manual',
      headers: { 'user-agent': IPHONE, 'x-forwarded-for': `10.0.${i >> 8}.${i & 255}` },
    });
    const id = new URL(res.headers.get('location') ?? '').searchParams.get('kclid');
    if (id) clickIds.push(id);
  }
  const key = await api(base, 'POST', '/api/v1/api-keys', brand.token, { name: 'bench', role: 'manager' });
  return { key: key.key, programId: program.id, productId: product.id, clickIds };
}

let counter = 0;
/** A sale body: a third by code, a third by a real click, a third unattributed; two lines each. */
function saleBody(w: World): string {
  counter++;
  const kind = counter % 3;
  return JSON.stringify({
    programId: w.programId,
    orderId: `bench-${process.pid}-${counter}`,
    currency: 'EUR',
    customerId: `c-${counter % 5000}`,
    ...(kind === 0 ? { couponCode: 'DANA15' } : kind === 1 ? { clickId: w.clickIds[counter % w.clickIds.length] } : {}),
    lines: [
      { productId: 'synergy-leggings', amount: 5100, quantity: 1 },
      { productId: 'socks', name: 'Sports socks', amount: 850, quantity: 2 },
    ],
  });
}

async function load(base: string, w: World, what: 'sale' | 'ping', seconds: number): Promise<Load> {
  const headers = { authorization: `Bearer ${w.key}`, 'content-type': 'application/json' };
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      what === 'sale'
        ? {
            method: 'POST',
            path: '/api/v1/track/sale',
            headers,
            setupRequest: (req) => ({ ...req, body: saleBody(w) }),
          }
        : { method: 'POST', path: '/api/v1/track/ping', headers: { authorization: headers.authorization } },
    ],
  });
  const codes = result.statusCodeStats as unknown as Record<string, { count: number } | undefined>;
  // A new order is answered 201 (a 200 would be a duplicate: each order id is used once); a ping 200.
  const ok = codes[what === 'sale' ? '201' : '200']?.count ?? 0;
  const total = Object.values(codes).reduce((sum, c) => sum + (c?.count ?? 0), 0);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    other: total - ok + result.errors + result.timeouts,
  };
}

interface Round {
  ping: Load;
  sale: Load;
  /** Conversions of the benchmark's orders stored between just before the sale load and just after it. */
  stored: number;
}

interface DialectResult {
  dialect: 'SQLite' | 'PostgreSQL';
  rounds: Round[];
}

async function countSales(db: { databaseUrl: string; dataDir: string }, programId: string): Promise<number> {
  const handle = await openDatabase(parseDatabaseUrl(db.databaseUrl, db.dataDir));
  try {
    const row = await handle.db
      .selectFrom('conversions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('program_id', '=', programId)
      .where('external_id', 'like', 'bench-%')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await handle.close();
  }
}

async function runDialect(dialect: DialectResult['dialect']): Promise<DialectResult> {
  const db = await benchDatabase(dialect, 'track');
  try {
    const { server, base } = await serve(db, {
      ...process.env,
      KUMPPANI_TRUST_PROXY: 'true',
      KUMPPANI_AUTH_RATE_LIMIT: '100000',
    });
    const w = await world(base);
    // Warm-up: the server's code is compiled by then, as on a server that has run for a while.
    await load(base, w, 'ping', WARMUP_S);
    await load(base, w, 'sale', WARMUP_S);
    await sleep(500);
    const rounds: Round[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const p = await load(base, w, 'ping', DURATION_S);
      await sleep(500);
      // Counted around the sale load only: the warm-up's sales are never counted as measured ones.
      const before = await countSales(db, w.programId);
      const s = await load(base, w, 'sale', DURATION_S);
      await sleep(500);
      const stored = (await countSales(db, w.programId)) - before;
      rounds.push({ ping: p, sale: s, stored });
      log(
        `${dialect} round ${round}: ${Math.round(s.rps)} sales/s p99 ${s.p99} ms; ping ${Math.round(p.rps)} req/s p99 ${p.p99} ms; ratio ${(s.rps / p.rps).toFixed(2)}; answered ${s.ok}, stored ${stored}`,
      );
    }
    await stop(server);
    return { dialect, rounds };
  } finally {
    await db.drop();
  }
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const key = (dialect: DialectResult['dialect']) => (dialect === 'SQLite' ? 'sqlite' : 'postgres');

/** Every sale answered 201 in a measured round is stored; at most one cut-off request per connection is stored unanswered. */
function roundFailures(r: DialectResult): string[] {
  const failures: string[] = [];
  r.rounds.forEach((round, i) => {
    const where = `${r.dialect} round ${i + 1}`;
    if (round.stored < round.sale.ok)
      failures.push(`${where}: ${round.sale.ok - round.stored} answered sales not stored`);
    if (round.stored > round.sale.ok + CONNECTIONS) {
      failures.push(`${where}: ${round.stored - round.sale.ok} sales stored beyond the ${round.sale.ok} answered`);
    }
    if (round.sale.other > 0) failures.push(`${where}: ${round.sale.other} sale answers other than 201, or errors`);
  });
  return failures;
}

function figuresOf(results: DialectResult[]): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const r of results) {
    const k = key(r.dialect);
    figures[`${k}.ratio`] = median(r.rounds.map((x) => x.sale.rps / x.ping.rps));
    figures[`${k}.p99Ratio`] = median(r.rounds.map((x) => x.sale.p99 / x.ping.p99));
    figures[`${k}.sales`] = median(r.rounds.map((x) => x.sale.rps));
    figures[`${k}.pings`] = median(r.rounds.map((x) => x.ping.rps));
    figures[`${k}.p99`] = median(r.rounds.map((x) => x.sale.p99));
    figures[`${k}.pingP99`] = median(r.rounds.map((x) => x.ping.p99));
    figures[`${k}.answered`] = r.rounds.reduce((n, x) => n + x.sale.ok, 0);
    figures[`${k}.stored`] = r.rounds.reduce((n, x) => n + x.stored, 0);
  }
  return figures;
}

function figureSpecs(results: DialectResult[]): FigureSpec[] {
  return results.flatMap((r): FigureSpec[] => {
    const k = key(r.dialect);
    const judged = r.dialect === 'SQLite';
    return [
      {
        key: `${k}.ratio`,
        label: `${r.dialect}: sales/s ÷ empty POSTs/s`,
        format: (v) => v.toFixed(2),
        ...(judged ? { goal: { text: `≥ ${GOAL_RATIO}`, met: (v: number) => v >= GOAL_RATIO } } : {}),
      },
      {
        key: `${k}.sales`,
        label: `${r.dialect}: sales/s`,
        format: (v) => fmt(v),
        ...(judged ? { goal: { text: `≥ ${fmt(GOAL_SALES)}`, met: (v: number) => v >= GOAL_SALES } } : {}),
      },
      { key: `${k}.pings`, label: `${r.dialect}: empty authenticated POSTs/s`, format: (v) => fmt(v) },
      { key: `${k}.p99Ratio`, label: `${r.dialect}: p99, sale ÷ empty POST`, format: (v) => `${v.toFixed(2)}×` },
      { key: `${k}.p99`, label: `${r.dialect}: sale p99`, format: (v) => `${fmt(v)} ms` },
      { key: `${k}.pingP99`, label: `${r.dialect}: empty POST p99`, format: (v) => `${fmt(v)} ms` },
    ];
  });
}

function render(run: RunRecord, results: DialectResult[], history: RunRecord[]): BenchSection {
  const rows = results.map((r) => [
    r.dialect,
    r.rounds.map((x) => (x.sale.rps / x.ping.rps).toFixed(2)).join(', '),
    r.rounds.map((x) => fmt(x.sale.rps)).join(', '),
    r.rounds.map((x) => `${fmt(x.sale.p99)}/${fmt(x.ping.p99)}`).join(', '),
    `${fmt(r.rounds.reduce((n, x) => n + x.sale.ok, 0))} / ${fmt(r.rounds.reduce((n, x) => n + x.stored, 0))}`,
  ]);
  const markdown = `- **Latest run:** ${run.date}, commit \`${run.commit.slice(0, 12)}\`${run.dirty ? ' (with uncommitted changes)' : ''}
- **Machine:** ${run.machine.cpuModel}, ${run.machine.cores} cores, ${(run.machine.totalRamBytes / 1024 ** 3).toFixed(1)} GiB RAM; Node ${run.machine.node}; ${run.machine.os}; CPU reference ${run.cpuReferenceMs} ms (200,000 SHA-256 digests; lower is faster)
- **Command:** \`${run.command}\` (every figure of this section)
- **Load:** autocannon in the benchmark's process, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${DURATION_S} s of each request after a ${WARMUP_S} s warm-up of each, on the same machine as the server

What is measured: \`POST /api/v1/track/sale\` with a brand API key, each request a new order of two lines (a product
with its own rate and an unknown product at the program rate) — a third attributed by the code DANA15, a third by a real
click id made through the redirect beforehand, a third unattributed — so each sale runs authentication, validation,
attribution, the rate rules, the fraud checks, the customer record and the ledger entries, in one
transaction, and answers with the conversion and its commissions. Beside it, in the same server and run,
\`POST /api/v1/track/ping\` with the same key: authentication and an empty answer. Each round's ratios are the sales' over
the pings' in that round (requests per second, and p99 latency, shown but not judged); a run's figure is the median of its
rounds.

${historyTable(run, history, figureSpecs(results))}

The latest run, round by round. "Answered / stored" counts the sales answered 201 during the measured rounds and the
conversions of the benchmark's orders stored during those loads (the warm-up is not counted); the run fails if one answered
sale is missing, or if more were stored than the answers plus one cut-off request per connection.

${markdownTable(['Database', 'Ratio per round', 'Sales/s per round', 'p99 ms per round (sale/ping)', 'Answered / stored'], rows, 'lrrrr')}
${run.failures.length > 0 ? `\n❌ This run failed its checks: ${run.failures.join('; ')}\n` : ''}`;
  return { id: 'track', title: 'Attributed sales through the track API', markdown };
}

export async function runTrackBenchmark(): Promise<{ section: BenchSection; run: RunRecord }> {
  const machine = describeMachine();
  const results: DialectResult[] = [];
  if (OPTIONS.dialects.includes('sqlite')) results.push(await runDialect('SQLite'));
  if (OPTIONS.dialects.includes('postgres')) results.push(await runDialect('PostgreSQL'));
  const run: RunRecord = {
    benchmark: 'track',
    variant: '',
    ...currentCommit(),
    date: machine.date,
    machine: recordMachine(machine),
    cpuReferenceMs: machine.cpuReferenceMs,
    command: benchCommand('npm run bench:track'),
    settings: {
      durationS: DURATION_S,
      rounds: ROUNDS,
      warmupS: WARMUP_S,
      connections: CONNECTIONS,
      generators: ['autocannon'],
      dialects: OPTIONS.dialects,
    },
    figures: figuresOf(results),
    rounds: results,
    failures: results.flatMap(roundFailures),
  };
  appendRun(run);
  return { section: render(run, results, readHistory()), run };
}

const isMain =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (isMain) {
  const { section, run } = await runTrackBenchmark();
  writeSection(section);
  process.stdout.write(`${section.markdown}\n`);
  if (run.failures.length > 0) {
    process.stderr.write(`[bench:track] the run failed its checks:\n${run.failures.join('\n')}\n`);
    process.exitCode = 1;
  }
}
