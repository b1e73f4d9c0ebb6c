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
import { stop } from './lib/process.js';
import {
  type BenchSection,
  benchCommand,
  describeMachine,
  goalMark,
  markdownTable,
  median,
  runContext,
  writeSection,
} from './lib/report.js';
import { api } from './lib/seed.js';
import { benchDatabase, serve } from './lib/server.js';

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
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
  const ok = (codes['200']?.count ?? 0) + (codes['201']?.count ?? 0);
  const total = Object.values(codes).reduce((sum, c) => sum + (c?.count ?? 0), 0);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    other: total - ok + result.errors + result.timeouts,
  };
}

interface DialectResult {
  dialect: 'SQLite' | 'PostgreSQL';
  sales: Load[];
  pings: Load[];
  stored: number;
  answered: number;
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
    const results = { sales: [] as Load[], pings: [] as Load[] };
    for (let round = 1; round <= ROUNDS; round++) {
      const p = await load(base, w, 'ping', DURATION_S);
      results.pings.push(p);
      await sleep(500);
      const s = await load(base, w, 'sale', DURATION_S);
      results.sales.push(s);
      log(
        `${dialect} round ${round}: ${Math.round(s.rps)} sales/s p99 ${s.p99} ms; ping ${Math.round(p.rps)} req/s; ratio ${(s.rps / p.rps).toFixed(2)}`,
      );
      await sleep(500);
    }
    await stop(server);
    const handle = await openDatabase(parseDatabaseUrl(db.databaseUrl, db.dataDir));
    const row = await handle.db
      .selectFrom('conversions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('program_id', '=', w.programId)
      .where('external_id', 'like', 'bench-%')
      .executeTakeFirstOrThrow();
    await handle.close();
    return { dialect, ...results, stored: Number(row.n), answered: results.sales.reduce((s, l) => s + l.ok, 0) };
  } finally {
    await db.drop();
  }
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function render(results: DialectResult[]): BenchSection {
  const rows: string[][] = [];
  const goals: string[] = [];
  for (const r of results) {
    const sales = median(r.sales.map((l) => l.rps));
    const pings = median(r.pings.map((l) => l.rps));
    const ratios = r.sales.map((s, i) => s.rps / (r.pings[i]?.rps ?? Number.NaN));
    const ratio = median(ratios);
    rows.push([
      r.dialect,
      `${fmt(sales)} sales/s`,
      `${fmt(pings)} req/s`,
      `**${ratio.toFixed(2)}** (${ratios.map((x) => x.toFixed(2)).join(', ')})`,
      `${fmt(median(r.sales.map((l) => l.p50)))} / ${fmt(median(r.sales.map((l) => l.p99)))} ms`,
      `${fmt(r.answered)} / ${fmt(r.stored)}`,
    ]);
    const other = r.sales.reduce((s, l) => s + l.other, 0);
    if (other > 0) goals.push(`- ${r.dialect}: ${other} answers other than 200/201 or errors during the sale load.`);
    if (r.dialect === 'SQLite') {
      goals.push(
        `- Ratio ≥ ${GOAL_RATIO} of the empty POST on SQLite: ${ratio.toFixed(2)} — ${goalMark(ratio >= GOAL_RATIO)}`,
      );
      goals.push(`- At least ${fmt(GOAL_SALES)} sales/s on SQLite: ${fmt(sales)} — ${goalMark(sales >= GOAL_SALES)}`);
    }
  }
  const markdown = `${runContext(describeMachine(), benchCommand('npm run bench:track'))}
- **Load:** autocannon in the benchmark's process, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${DURATION_S} s of each request after a ${WARMUP_S} s warm-up of each, on the same machine as the server

What is measured: \`POST /api/v1/track/sale\` with a brand API key, each request a new order of two lines (a product
with its own rate and an unknown product at the program rate) — a third attributed by the code DANA15, a third by a real
click id made through the redirect beforehand, a third unattributed — so each sale runs authentication, validation,
attribution, the rate rules, the fraud checks, the customer record and the ledger entries, in one
transaction, and answers with the conversion and its commissions. Beside it, in the same server and run,
\`POST /api/v1/track/ping\` with the same key: authentication and an empty answer. Ratio is sales per second over pings per
second, per round; the median is shown with every round's. "Answered / stored" counts the sales answered 201 and the
conversions found in the database afterwards.

${markdownTable(['Database', 'Sales', 'Empty authenticated POST', 'Ratio', 'Sale p50 / p99', 'Answered / stored'], rows, 'lrrrrr')}

${goals.join('\n')}
`;
  return { id: 'track', title: 'Attributed sales through the track API', markdown };
}

export async function runTrackBenchmark(): Promise<BenchSection> {
  const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
  const results: DialectResult[] = [];
  if (dialects.includes('sqlite')) results.push(await runDialect('SQLite'));
  if (dialects.includes('postgres')) results.push(await runDialect('PostgreSQL'));
  return render(results);
}

const isMain =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (isMain) {
  const section = await runTrackBenchmark();
  writeSection(section);
  process.stdout.write(`${section.markdown}\n`);
}
