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
import { accumulate, rowsOf, type SaleRow } from '../src/analytics/facts.js';
import { analyticsService } from '../src/analytics/service.js';
import { parseDatabaseUrl } from '../src/config/config.js';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../src/db/database.js';
import { sql } from '../src/db/kysely.js';
import type { Principal } from '../src/shared/principal.js';
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
const SIZES = [Math.round(1_000_000 * SCALE), Math.round(10_000_000 * SCALE)];
const CREATORS = 2000;
const CONTENTS = 20_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const DAY = 86_400_000;
const END = Date.UTC(2026, 11, 1);
const START = END - 365 * DAY;
const COUNTRIES = ['FI', 'SE', 'DE', 'US', 'GB', 'EE', 'NO', 'DK', 'FR', 'NL'];
const DEVICES = ['mobile', 'desktop', 'tablet'];
const log = (line: string) => process.stderr.write(`[bench:analytics] ${line}\n`);

let seed = 42;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
const id = (prefix: string, n: number) => `${prefix}_${String(n).padStart(26, '0')}`;

/** Inserts rows in groups: prepared statements in one transaction on SQLite, multi-row inserts on PostgreSQL. */
async function insert(h: DatabaseHandle, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  if (h.sqlite) {
    const statement = h.sqlite.prepare(
      `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
    );
    h.sqlite.transaction(() => {
      for (const r of rows) statement.run(columns.map((c) => r[c]));
    })();
    return;
  }
  const per = Math.floor(30_000 / columns.length);
  for (let i = 0; i < rows.length; i += per) {
    // biome-ignore lint/suspicious/noExplicitAny: the table is named at run time
    await (h.db as any)
      .insertInto(table)
      .values(rows.slice(i, i + per))
      .execute();
  }
}

async function build(h: DatabaseHandle, clicks: number, sales: number) {
  const at = new Date(START).toISOString();
  const ws = id('ws', 1);
  const programId = id('prg', 1);
  await insert(h, 'workspaces', [{ id: ws, name: 'Bench', country: 'FI', created_at: at }]);
  await insert(h, 'programs', [
    {
      id: programId,
      workspace_id: ws,
      name: 'Bench',
      description: null,
      currency: 'EUR',
      allowed_domains: '["shop.example.com"]',
      default_rate_type: 'percent',
      default_rate_value: 1500,
      attribution_window_days: 30,
      holding_days: 30,
      min_payout_amount: 5000,
      visibility: 'open',
      code_wins_over_click: 1,
      commission_duration: 'first_order',
      commission_duration_months: null,
      rate_cut_notice_days: 30,
      payout_account: null,
      utm_defaults: null,
      commission_tiers: null,
      lead_reward_amount: null,
      status: 'active',
      created_at: at,
      updated_at: at,
      archived_at: null,
      timezone: 'UTC',
    },
  ]);
  const creators = Array.from({ length: CREATORS }, (_, i) => id('cr', i + 1));
  await insert(
    h,
    'creators',
    creators.map((c, i) => ({
      id: c,
      user_id: null,
      name: `Creator ${i + 1}`,
      email: `c${i}@example.com`,
      country: 'FI',
      created_at: at,
    })),
  );
  await insert(
    h,
    'enrollments',
    creators.map((c, i) => ({
      id: id('enr', i + 1),
      workspace_id: ws,
      program_id: programId,
      creator_id: c,
      status: 'approved',
      rate_type: null,
      rate_value: null,
      reason: null,
      created_at: at,
      updated_at: at,
    })),
  );
  const contents = Array.from({ length: CONTENTS }, (_, i) => ({
    id: id('cnt', i + 1),
    link: id('lnk', i + 1),
    creator: creators[i % CREATORS] as string,
  }));
  await insert(
    h,
    'contents',
    contents.map((c, i) => ({
      id: c.id,
      creator_id: c.creator,
      platform: 'tiktok',
      url: `https://www.tiktok.com/@c/video/${i}`,
      title: `Video ${i + 1}`,
      posted_at: at,
      created_at: at,
    })),
  );
  await insert(
    h,
    'links',
    contents.map((c, i) => ({
      id: c.link,
      workspace_id: ws,
      program_id: programId,
      creator_id: c.creator,
      slug: `bench-${i}`,
      destination_url: 'https://shop.example.com/',
      content_id: c.id,
      placement: 'caption',
      utm: null,
      status: 'enabled',
      expires_at: null,
      created_by: 'bench',
      created_at: at,
      updated_at: at,
    })),
  );
  // A view count per video at the end of each month.
  const views: Record<string, unknown>[] = [];
  for (const c of contents) {
    let total = 0;
    for (let m = 1; m <= 12; m++) {
      const gained = Math.floor(rand() * 20_000);
      total += gained;
      views.push({
        gained,
        content_id: c.id,
        at: new Date(START + m * 30 * DAY).toISOString(),
        views: total,
        recorded_by: 'bench',
        recorded_at: at,
      });
    }
  }
  await insert(h, 'content_views', views);

  // Clicks and sales month by month, with the rollups the writers keep beside them.
  const months = 12;
  let clickNo = 0;
  let saleNo = 0;
  for (let m = 0; m < months; m++) {
    // Whole UTC days per month, so that no day's rollup rows are written twice.
    const from = START + Math.round((365 * m) / months) * DAY;
    const span = START + Math.round((365 * (m + 1)) / months) * DAY - from;
    const n = Math.round(clicks / months);
    const raw: Record<string, unknown>[] = [];
    const hourly = new Map<
      string,
      { link_id: string; hour: string; clicks: number; unique_clicks: number; bot_clicks: number }
    >();
    const daily = new Map<
      string,
      {
        link_id: string;
        day: string;
        dimension: string;
        value: string;
        clicks: number;
        unique_clicks: number;
        bot_clicks: number;
      }
    >();
    const monthClicks: { id: string; c: (typeof contents)[number]; t: number; country: string; device: string }[] = [];
    for (let i = 0; i < n; i++) {
      const c = pick(contents);
      const t = Math.floor(from + rand() * span);
      const country = pick(COUNTRIES);
      const device = pick(DEVICES);
      const unique = rand() < 0.8 ? 1 : 0;
      const clickId = id('clk', ++clickNo);
      const iso = new Date(t).toISOString();
      raw.push({
        id: clickId,
        link_id: c.link,
        program_id: programId,
        creator_id: c.creator,
        content_id: c.id,
        placement: 'caption',
        at: iso,
        visitor_hash: 'v',
        device,
        browser: 'Safari',
        os: 'iOS',
        country,
        referrer: 'tiktok.com',
        is_bot: 0,
        is_unique: unique,
      });
      if (monthClicks.length < (sales / months) * 1.2) monthClicks.push({ id: clickId, c, t, country, device });
      const hk = `${c.link} ${iso.slice(0, 13)}`;
      const hr = hourly.get(hk) ?? {
        link_id: c.link,
        hour: iso.slice(0, 13),
        clicks: 0,
        unique_clicks: 0,
        bot_clicks: 0,
      };
      hr.clicks += 1;
      hr.unique_clicks += unique;
      hourly.set(hk, hr);
      for (const [dimension, value] of [
        ['country', country],
        ['device', device],
        ['referrer', 'tiktok.com'],
      ] as const) {
        const dk = `${c.link} ${iso.slice(0, 10)} ${dimension} ${value}`;
        const dr = daily.get(dk) ?? {
          link_id: c.link,
          day: iso.slice(0, 10),
          dimension,
          value,
          clicks: 0,
          unique_clicks: 0,
          bot_clicks: 0,
        };
        dr.clicks += 1;
        dr.unique_clicks += unique;
        daily.set(dk, dr);
      }
      if (raw.length >= 100_000) await insert(h, 'clicks', raw.splice(0));
    }
    await insert(h, 'clicks', raw);
    await insert(h, 'link_stats_hourly', [...hourly.values()]);
    await insert(h, 'link_stats_daily', [...daily.values()]);

    // Sales by some of this month's clicks, a minute after each.
    const rollup = new Map<string, SaleRow>();
    const conversions: Record<string, unknown>[] = [];
    const lines: Record<string, unknown>[] = [];
    const entries: Record<string, unknown>[] = [];
    for (let i = 0; i < Math.round(sales / months); i++) {
      const k = monthClicks[i % monthClicks.length];
      if (!k) break;
      const conversionId = id('cnv', ++saleNo);
      const amount = 2000 + Math.floor(rand() * 10_000);
      const refunded = rand() < 0.1 ? Math.floor(amount / 2) : 0;
      const commission = Math.round((amount * 1500) / 10_000);
      const occurred = new Date(k.t + 60_000).toISOString();
      conversions.push({
        id: conversionId,
        workspace_id: ws,
        program_id: programId,
        kind: 'sale',
        external_id: `O-${saleNo}`,
        fingerprint: 'f',
        source: 'bench',
        currency: 'EUR',
        amount,
        original_currency: 'EUR',
        original_amount: amount,
        exchange_rate: null,
        click_id: k.id,
        code_id: null,
        code: null,
        customer_id: null,
        subscription_id: null,
        referrer: null,
        creator_id: k.c.creator,
        attribution: 'click',
        evidence: '{}',
        occurred_at: occurred,
        created_at: occurred,
      });
      lines.push({
        conversion_id: conversionId,
        line_no: 1,
        line_id: null,
        product_id: null,
        external_product_id: 'p',
        name: null,
        quantity: 1,
        amount,
        discount_amount: null,
        refunded_amount: refunded,
      });
      entries.push({
        id: id('com', saleNo),
        workspace_id: ws,
        program_id: programId,
        creator_id: k.c.creator,
        conversion_id: conversionId,
        refund_id: null,
        reverses_id: null,
        line_no: 1,
        kind: 'sale',
        amount: commission,
        currency: 'EUR',
        status: 'pending',
        base_amount: amount,
        rate: null,
        rate_source: null,
        explanation: '',
        hold_reason: null,
        hold_detail: null,
        status_reason: null,
        approve_after: occurred,
        payout_id: null,
        created_at: occurred,
        updated_at: occurred,
      });
      accumulate(
        rollup,
        rowsOf({
          conversionId,
          programId,
          creatorId: k.c.creator,
          kind: 'sale',
          hour: occurred.slice(0, 13),
          at: Date.parse(occurred),
          context: {
            link: k.c.link,
            content: k.c.id,
            code: '',
            country: k.country,
            device: k.device,
            browser: 'Safari',
            os: 'iOS',
            referrer: 'tiktok.com',
            placement: 'caption',
          },
          lines: [{ productId: null, amount, refunded, commission }],
          otherCommission: 0,
        }),
      );
    }
    await insert(h, 'conversions', conversions);
    await insert(h, 'conversion_lines', lines);
    await insert(h, 'commissions', entries);
    await insert(
      h,
      'conversion_stats_hourly',
      [...rollup.values()].map((r) => ({
        program_id: r.programId,
        dimension: r.dimension,
        hour: r.hour,
        value: r.value,
        creator_id: r.creatorId,
        leads: r.leads,
        sales: r.sales,
        gmv: r.gmv,
        refunds: r.refunds,
        commissions: r.commissions,
      })),
    );
    log(`  month ${m + 1}/12 written`);
  }
  if (h.sqlite) h.sqlite.exec('analyze');
  else await sql`analyze`.execute(h.db);
  return { ws, programId, creator: creators[0] as string };
}

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

async function main() {
  const machine = describeMachine();
  const dialects = (process.env.BENCH_DIALECTS ?? 'SQLite,PostgreSQL').split(',') as ('SQLite' | 'PostgreSQL')[];
  const rows: string[][] = [];
  const goals: string[] = [];
  for (const dialect of dialects) {
    const p95At: Record<number, number[]> = {};
    for (const clicks of SIZES) {
      const sales = Math.round(clicks / 10);
      const target = await benchDatabase(dialect, `analytics-${randomBytes(2).toString('hex')}`);
      const h = await openDatabase(parseDatabaseUrl(target.databaseUrl, target.dataDir));
      try {
        await migrateToLatest(h.db);
        log(`${dialect}: writing ${clicks.toLocaleString('en')} clicks and ${sales.toLocaleString('en')} sales`);
        const t0 = Date.now();
        const { ws, programId, creator } = await build(h, clicks, sales);
        log(`${dialect}: written in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
        const results = await measure(h, ws, programId, creator);
        p95At[clicks] = results.map((r) => r.p95);
        for (const r of results) {
          rows.push([
            dialect,
            clicks.toLocaleString('en'),
            r.name,
            `${r.p50.toFixed(1)} ms`,
            `**${r.p95.toFixed(1)} ms**`,
          ]);
        }
        if (clicks === SIZES[1]) {
          await h.close();
          const rss = exportRssKb(target.databaseUrl, target.dataDir);
          goals.push(
            `- ${dialect}: CSV export of ${clicks.toLocaleString('en')} clicks, peak RSS ${(rss.kb / 1024).toFixed(0)} MB in ${rss.seconds.toFixed(0)} s (goal < 200 MB) — ${goalMark(rss.kb < 200 * 1024)}`,
          );
        }
      } finally {
        await h.close().catch(() => {});
        await target.drop();
      }
    }
    const limit = dialect === 'SQLite' ? 20 : 50;
    const big = p95At[SIZES[1] as number] ?? [];
    const small = p95At[SIZES[0] as number] ?? [];
    const worst = Math.max(...big);
    goals.push(
      `- ${dialect}: every dashboard query p95 ≤ ${limit} ms at ${(SIZES[1] as number).toLocaleString('en')} clicks: worst ${worst.toFixed(1)} ms — ${goalMark(worst <= limit)}`,
    );
    const ratio = Math.max(...big.map((b, i) => b / (small[i] as number)));
    goals.push(
      `- ${dialect}: p95 at ${(SIZES[1] as number).toLocaleString('en')} within 1.5× of p95 at ${(SIZES[0] as number).toLocaleString('en')}: worst ratio ${ratio.toFixed(2)} — ${goalMark(ratio <= 1.5)}`,
    );
  }
  writeSection({
    id: 'analytics',
    title: 'Analytics dashboard queries',
    markdown: [
      runContext(machine, benchCommand(`BENCH_SCALE=${SCALE} npm run bench:analytics`)),
      `- **Size:** ${SIZES.map((s) => `${s.toLocaleString('en')} clicks and ${(s / 10).toLocaleString('en')} sales`).join(', then ')} over 12 months; ${CREATORS.toLocaleString('en')} creators, ${CONTENTS.toLocaleString('en')} videos with a link each; ${RUNS} runs of each query after 3 warm-up runs, in process (no HTTP)${SCALE === 1 ? '' : `; **scale ${SCALE}** of the issue's sizes`}`,
      '',
      markdownTable(['Database', 'Clicks', 'Query', 'p50', 'p95'], rows, '---|---:|---|---:|---:'),
      '',
      ...goals,
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
