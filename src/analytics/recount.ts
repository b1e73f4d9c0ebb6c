import type { DbOrTx } from '../db/database.js';
import { sql } from '../db/kysely.js';
import { accumulate, type ConversionFact, rowsOf, type SaleRow, saleRowKey } from './facts.js';
import { type ClickRowFact, type EntryRowFact, factFrom, type LineRowFact } from './rollups.js';
import { accumulateViews, type ViewRow, viewRowKey, viewRowsOf } from './view-rollups.js';

/**
 * Recounts analytics from the raw rows (conversions, their lines and commission entries, clicks)
 * and compares them with the rollups: `kumppani analytics verify` and the property tests.
 */

const PAGE = 500;

/** Every attributed conversion's facts of some programs (all when none are named), a page at a time. */
export async function* conversionFacts(
  db: DbOrTx,
  opts: {
    programIds?: readonly string[] | undefined;
    creatorId?: string | undefined;
    /** Occurred in [from, to), ISO 8601. */
    from?: string | undefined;
    to?: string | undefined;
  } = {},
): AsyncGenerator<ConversionFact[]> {
  let after = '';
  for (;;) {
    let q = db
      .selectFrom('conversions')
      .select(['id', 'program_id', 'kind', 'creator_id', 'click_id', 'code_id', 'occurred_at'])
      .where('creator_id', 'is not', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE);
    if (opts.programIds) {
      if (opts.programIds.length === 0) return;
      q = q.where('program_id', 'in', [...opts.programIds]);
    }
    if (opts.creatorId) q = q.where('creator_id', '=', opts.creatorId);
    if (opts.from) q = q.where('occurred_at', '>=', opts.from);
    if (opts.to) q = q.where('occurred_at', '<', opts.to);
    const conversions = await q.execute();
    if (conversions.length === 0) return;
    after = conversions[conversions.length - 1]?.id ?? after;
    const ids = conversions.map((c) => c.id);
    const clickIds = conversions.flatMap((c) => (c.click_id ? [c.click_id] : []));
    const codeIds = [...new Set(conversions.flatMap((c) => (c.code_id ? [c.code_id] : [])))];
    const [lines, entries, clicks, codes] = await Promise.all([
      db
        .selectFrom('conversion_lines')
        .select(['conversion_id', 'line_no', 'product_id', 'amount', 'refunded_amount'])
        .where('conversion_id', 'in', ids)
        .execute(),
      db
        .selectFrom('commissions')
        .select(['conversion_id', 'id', 'kind', 'line_no', 'amount', 'status', 'reverses_id'])
        .where('conversion_id', 'in', ids)
        .execute(),
      clickIds.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('clicks')
            .select([
              'id',
              'link_id',
              'program_id',
              'content_id',
              'placement',
              'country',
              'device',
              'browser',
              'os',
              'referrer',
            ])
            .where('id', 'in', clickIds)
            .execute(),
      codeIds.length === 0
        ? Promise.resolve([])
        : db.selectFrom('codes').select(['id', 'content_id']).where('id', 'in', codeIds).execute(),
    ]);
    const group = <T extends { conversion_id: string }>(rows: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of rows) {
        const list = m.get(r.conversion_id) ?? [];
        list.push(r);
        m.set(r.conversion_id, list);
      }
      return m;
    };
    const linesBy = group(lines);
    const entriesBy = group(entries);
    const clickBy = new Map<string, ClickRowFact>(clicks.map((c) => [c.id, c]));
    const codeBy = new Map(codes.map((c) => [c.id, c.content_id]));
    const facts: ConversionFact[] = [];
    for (const c of conversions) {
      const fact = factFrom(
        c,
        c.click_id ? clickBy.get(c.click_id) : undefined,
        c.code_id ? codeBy.get(c.code_id) : undefined,
        (linesBy.get(c.id) ?? []) as LineRowFact[],
        (entriesBy.get(c.id) ?? []) as EntryRowFact[],
      );
      if (fact) facts.push(fact);
    }
    yield facts;
  }
}

export interface Difference {
  table: string;
  key: string;
  expected: Record<string, number>;
  found: Record<string, number>;
}

const saleMetrics = ['leads', 'sales', 'gmv', 'refunds', 'commissions'] as const;

/** Compares the sales rollup of some programs with a recount from raw rows. */
export async function verifySales(
  db: DbOrTx,
  programIds: readonly string[] | undefined,
  onProgress?: (conversions: number) => void,
): Promise<{ conversions: number; rows: number; differences: Difference[] }> {
  const expected = new Map<string, SaleRow>();
  let conversions = 0;
  for await (const facts of conversionFacts(db, { programIds })) {
    for (const f of facts) accumulate(expected, rowsOf(f));
    conversions += facts.length;
    onProgress?.(conversions);
  }
  let q = db.selectFrom('conversion_stats_hourly').selectAll();
  if (programIds) {
    if (programIds.length === 0) return { conversions, rows: 0, differences: [] };
    q = q.where('program_id', 'in', [...programIds]);
  }
  const stored = await q.execute();
  const differences: Difference[] = [];
  const seen = new Set<string>();
  for (const s of stored) {
    const key = saleRowKey({
      programId: s.program_id,
      dimension: s.dimension as SaleRow['dimension'],
      hour: s.hour,
      value: s.value,
      creatorId: s.creator_id,
    });
    seen.add(key);
    const want = expected.get(key);
    const found = Object.fromEntries(saleMetrics.map((m) => [m, Number(s[m])]));
    const exp = Object.fromEntries(saleMetrics.map((m) => [m, want ? want[m] : 0]));
    if (saleMetrics.some((m) => found[m] !== exp[m])) {
      differences.push({ table: 'conversion_stats_hourly', key: key.replaceAll('\u0000', ' '), expected: exp, found });
    }
  }
  for (const [key, want] of expected) {
    if (seen.has(key)) continue;
    if (saleMetrics.every((m) => want[m] === 0)) continue;
    differences.push({
      table: 'conversion_stats_hourly',
      key: key.replaceAll('\u0000', ' '),
      expected: Object.fromEntries(saleMetrics.map((m) => [m, want[m]])),
      found: Object.fromEntries(saleMetrics.map((m) => [m, 0])),
    });
  }
  return { conversions, rows: stored.length, differences };
}

type ClickSums = { clicks: number; unique_clicks: number; bot_clicks: number };
const clickMetrics = ['clicks', 'unique_clicks', 'bot_clicks'] as const;
const sums = sql`sum(case when c.is_bot = 0 then 1 else 0 end) as clicks,
  sum(case when c.is_bot = 0 and c.is_unique = 1 then 1 else 0 end) as unique_clicks,
  sum(c.is_bot) as bot_clicks`;

/** Sets a table's stored rows against the recount, both keyed by `key`; rows of nothing may be missing. */
function compare<R extends ClickSums>(
  table: string,
  key: (r: R) => string,
  expected: R[],
  stored: R[],
  differences: Difference[],
): void {
  const pick = (r: ClickSums | undefined) => Object.fromEntries(clickMetrics.map((m) => [m, r ? Number(r[m]) : 0]));
  const storedBy = new Map(stored.map((r) => [key(r), r]));
  for (const r of expected) {
    const k = key(r);
    const s = storedBy.get(k);
    storedBy.delete(k);
    const exp = pick(r);
    const found = pick(s);
    if (clickMetrics.some((m) => exp[m] !== found[m])) differences.push({ table, key: k, expected: exp, found });
  }
  for (const [k, s] of storedBy) {
    const found = pick(s);
    if (clickMetrics.some((m) => found[m] !== 0)) differences.push({ table, key: k, expected: pick(undefined), found });
  }
}

/**
 * Compares the click rollups with the raw clicks: per link and hour, and the program's per hour
 * and per day and country, device or creator.
 */
export async function verifyClicks(
  db: DbOrTx,
  programIds: readonly string[] | undefined,
): Promise<{ clicks: number; differences: Difference[] }> {
  const scope = (column: string) =>
    programIds ? sql`${sql.ref(column)} in (${sql.join(programIds.length ? [...programIds] : [''])})` : sql`1 = 1`;
  const hourExpr = sql`substr(c.at, 1, 13)`;
  const dayExpr = sql`substr(c.at, 1, 10)`;
  const differences: Difference[] = [];

  type LinkHour = ClickSums & { link_id: string; hour: string };
  const raw = await sql<LinkHour>`
    select c.link_id, ${hourExpr} as hour, ${sums}
    from clicks c where ${scope('c.program_id')}
    group by c.link_id, ${hourExpr}`.execute(db);
  const stored = await sql<LinkHour>`
    select h.link_id, h.hour, h.clicks, h.unique_clicks, h.bot_clicks
    from link_stats_hourly h join links l on l.id = h.link_id where ${scope('l.program_id')}`.execute(db);
  compare('link_stats_hourly', (r) => `${r.link_id} ${r.hour}`, raw.rows, stored.rows, differences);
  let clicks = 0;
  for (const r of raw.rows) clicks += Number(r.clicks) + Number(r.bot_clicks);

  type ProgramHour = ClickSums & { program_id: string; hour: string };
  const programHours = await sql<ProgramHour>`
    select c.program_id, ${hourExpr} as hour, ${sums}
    from clicks c where ${scope('c.program_id')}
    group by c.program_id, ${hourExpr}`.execute(db);
  const storedHours = await sql<ProgramHour>`
    select program_id, hour, clicks, unique_clicks, bot_clicks
    from click_stats_hourly where ${scope('program_id')}`.execute(db);
  compare('click_stats_hourly', (r) => `${r.program_id} ${r.hour}`, programHours.rows, storedHours.rows, differences);

  type ProgramDay = ClickSums & { program_id: string; dimension: string; day: string; value: string };
  const programDays: ProgramDay[] = [];
  for (const [dimension, column] of [
    ['country', 'c.country'],
    ['device', 'c.device'],
    ['creator', 'c.creator_id'],
  ] as const) {
    const rows = await sql<ProgramDay>`
      select c.program_id, ${sql.lit(dimension)} as dimension, ${dayExpr} as day, ${sql.ref(column)} as value, ${sums}
      from clicks c where ${scope('c.program_id')}
      group by c.program_id, ${dayExpr}, ${sql.ref(column)}`.execute(db);
    programDays.push(...rows.rows);
  }
  const storedDays = await sql<ProgramDay>`
    select program_id, dimension, day, value, clicks, unique_clicks, bot_clicks
    from click_stats_daily where ${scope('program_id')}`.execute(db);
  compare(
    'click_stats_daily',
    (r) => `${r.program_id} ${r.dimension} ${r.day} ${r.value}`,
    programDays,
    storedDays.rows,
    differences,
  );
  return { clicks, differences };
}

/** Compares the views rollup with the view counts of the videos that each program's links and codes point at. */
export async function verifyViews(
  db: DbOrTx,
  programIds: readonly string[] | undefined,
): Promise<{ counts: number; differences: Difference[] }> {
  const scope = (column: string) =>
    programIds ? sql`${sql.ref(column)} in (${sql.join(programIds.length ? [...programIds] : [''])})` : sql`1 = 1`;
  const raw = await sql<{ program_id: string; creator_id: string; at: string; gained: number }>`
    select m.program_id, c.creator_id, v.at, v.gained
    from (
      select program_id, content_id from links where content_id is not null
      union
      select program_id, content_id from codes where content_id is not null
    ) m
    join content_views v on v.content_id = m.content_id
    join contents c on c.id = m.content_id
    where ${scope('m.program_id')}`.execute(db);
  const expected = new Map<string, ViewRow>();
  for (const r of raw.rows) {
    accumulateViews(expected, viewRowsOf([r.program_id], r.creator_id, [{ at: r.at, gained: Number(r.gained) }]));
  }
  const stored = await sql<{ program_id: string; hour: string; creator_id: string; views: number }>`
    select program_id, hour, creator_id, views from view_stats_hourly where ${scope('program_id')}`.execute(db);
  const differences: Difference[] = [];
  for (const s of stored.rows) {
    const row = { programId: s.program_id, hour: s.hour, creatorId: s.creator_id };
    const key = viewRowKey(row);
    const want = expected.get(key)?.views ?? 0;
    expected.delete(key);
    if (Number(s.views) !== want) {
      differences.push({
        table: 'view_stats_hourly',
        key: key.replaceAll('\u0000', ' '),
        expected: { views: want },
        found: { views: Number(s.views) },
      });
    }
  }
  for (const [key, want] of expected) {
    if (want.views === 0) continue;
    differences.push({
      table: 'view_stats_hourly',
      key: key.replaceAll('\u0000', ' '),
      expected: { views: want.views },
      found: { views: 0 },
    });
  }
  return { counts: raw.rows.length, differences };
}
