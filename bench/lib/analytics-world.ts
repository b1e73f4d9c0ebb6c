/**
 * The world of `bench:analytics`: one program of 2,000 creators and 20,000 videos (a link each),
 * its clicks and sales over twelve months, written straight into the tables — the raw rows and
 * the rollups the server's writers would have written with them, added up by the same functions
 * (`ProgramClickStats`, `rowsOf`) — not through HTTP: the benchmark measures reads, and a world of
 * ten million clicks is written in minutes this way rather than hours.
 */
import { accumulate, rowsOf, type SaleRow } from '../../src/analytics/facts.js';
import { rollupColumns } from '../../src/analytics/rollups.js';
import { accumulateViews, type ViewRow, viewRowsOf } from '../../src/analytics/view-rollups.js';
import { ProgramClickStats } from '../../src/clicks/program-stats.js';
import type { DatabaseHandle } from '../../src/db/database.js';
import { sql } from '../../src/db/kysely.js';

export const CREATORS = 2000;
export const CONTENTS = 20_000;
export const DAY = 86_400_000;
export const END = Date.UTC(2026, 11, 1);
export const START = END - 365 * DAY;
const COUNTRIES = ['FI', 'SE', 'DE', 'US', 'GB', 'EE', 'NO', 'DK', 'FR', 'NL'];
const DEVICES = ['mobile', 'desktop', 'tablet'];

let seed = 42;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
const id = (prefix: string, n: number) => `${prefix}_${String(n).padStart(26, '0')}`;

/** The key of each rollup table: a later layer of traffic adds to the rows an earlier one wrote. */
const rollupKeys: Record<string, string[]> = {
  link_stats_hourly: ['link_id', 'hour'],
  link_stats_daily: ['link_id', 'day', 'dimension', 'value'],
  click_stats_hourly: ['program_id', 'hour'],
  click_stats_daily: ['program_id', 'dimension', 'day', 'value'],
  conversion_stats_hourly: ['program_id', 'dimension', 'hour', 'value', 'creator_id'],
  view_stats_hourly: ['program_id', 'hour', 'creator_id'],
};

/**
 * Inserts rows in groups: prepared statements in one transaction on SQLite; on PostgreSQL one
 * statement per 50,000 rows that reads each column from an array (`unnest`), many times faster
 * than a statement of many rows of values. Rows of a rollup table are added to the row of the
 * same key if there is one.
 */
async function insert(h: DatabaseHandle, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const keys = rollupKeys[table];
  // In key order: each B-tree page is visited once, not once for every row that lands on it.
  if (keys) {
    const keyOf = (r: Record<string, unknown>) => keys.map((k) => String(r[k])).join('\u0000');
    rows = rows
      .map((r) => ({ r, k: keyOf(r) }))
      .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
      .map((e) => e.r);
  }
  // Columns null in every row are left to their default (null).
  const columns = Object.keys(rows[0] as object).filter((c) => rows.some((r) => r[c] !== null));
  const counts = columns.filter((c) => !keys?.includes(c));
  const upsert = keys
    ? ` on conflict (${keys.join(', ')}) do update set ${counts.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`
    : '';
  if (h.sqlite) {
    const statement = h.sqlite.prepare(
      `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})${upsert}`,
    );
    h.sqlite.transaction(() => {
      for (const r of rows) statement.run(columns.map((c) => r[c]));
    })();
    return;
  }
  const types = columns.map((c) => {
    const v = rows.find((r) => r[c] !== null)?.[c];
    return typeof v === 'number' ? (Number.isInteger(v) ? 'bigint' : 'float8') : 'text';
  });
  for (let i = 0; i < rows.length; i += 50_000) {
    const slice = rows.slice(i, i + 50_000);
    const arrays = columns.map((c) => slice.map((r) => r[c] ?? null));
    const unnest = sql.join(arrays.map((a, k) => sql`${a}::${sql.raw(types[k] as string)}[]`));
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
      select * from unnest(${unnest})${sql.raw(upsert)}`.execute(h.db);
  }
}

export interface World {
  ws: string;
  programId: string;
  creator: string;
  contents: { id: string; link: string; creator: string }[];
  clicks: number;
  sales: number;
}

/**
 * A world for reading is written without waiting for the disk and with a large page cache; the
 * queries are then measured with the server's own settings (synchronous NORMAL, SQLite's default cache).
 */
function writing(h: DatabaseHandle, on: boolean): void {
  h.sqlite?.pragma(on ? 'synchronous = OFF' : 'synchronous = NORMAL');
  h.sqlite?.pragma(on ? 'cache_size = -1000000' : 'cache_size = -2000');
}

/** The program, its creators, videos, links and the videos' view counts; no traffic yet. */
export async function buildBase(h: DatabaseHandle): Promise<World> {
  writing(h, true);
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
  const viewStats = new Map<string, ViewRow>();
  for (const c of contents) {
    const counts: { at: string; gained: number }[] = [];
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
      counts.push({ at: new Date(START + m * 30 * DAY).toISOString(), gained });
    }
    accumulateViews(viewStats, viewRowsOf([programId], c.creator, counts));
  }
  await insert(h, 'content_views', views);
  await insert(
    h,
    'view_stats_hourly',
    [...viewStats.values()].map((r) => ({
      program_id: r.programId,
      hour: r.hour,
      creator_id: r.creatorId,
      views: r.views,
    })),
  );
  writing(h, false);
  return { ws, programId, creator: creators[0] as string, contents, clicks: 0, sales: 0 };
}

/**
 * Adds clicks and sales, spread over the twelve months like those before them, with the rollups
 * the writers keep beside them: a world grows from one size to the next.
 */
export async function addTraffic(
  log: (line: string) => void,
  h: DatabaseHandle,
  world: World,
  clicks: number,
  sales: number,
): Promise<void> {
  const { programId, ws, contents } = world;
  writing(h, true);
  const months = 12;
  let clickNo = world.clicks;
  let saleNo = world.sales;
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
    const program = new ProgramClickStats();
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
      program.add(programId, iso.slice(0, 13), iso.slice(0, 10), country, device, c.creator, false, unique === 1);
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
    const programRows = program.rows();
    const counts = (r: (typeof programRows)[number]) => ({
      clicks: r.clicks,
      unique_clicks: r.unique,
      bot_clicks: r.bots,
    });
    await insert(
      h,
      'click_stats_hourly',
      programRows
        .filter((r) => r.dimension === 'hour')
        .map((r) => ({ program_id: r.programId, hour: r.period, ...counts(r) })),
    );
    await insert(
      h,
      'click_stats_daily',
      programRows
        .filter((r) => r.dimension !== 'hour')
        .map((r) => ({ program_id: r.programId, dimension: r.dimension, day: r.period, value: r.value, ...counts(r) })),
    );

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
    const done = [...rollup.values()];
    await insert(h, 'conversion_stats_hourly', done.map(rollupColumns));
    log(`  month ${m + 1}/12 written`);
  }
  world.clicks = clickNo;
  world.sales = saleNo;
  writing(h, false);
  if (h.sqlite) h.sqlite.exec('analyze');
  else await sql`analyze`.execute(h.db);
}
