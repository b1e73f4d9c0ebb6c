import type { DbOrTx } from '../db/database.js';
import { AppError } from '../shared/errors.js';
import { isTimeZone } from '../shared/time-zones.js';
import type { SaleCounts, SaleDimension } from './facts.js';
import { zeroSales } from './facts.js';
import type { AnalyticsQuery, GroupBy, Metrics } from './schemas.js';
import { metricNames, timeGroups } from './schemas.js';
import type { AnalyticsScope } from './scope.js';
import {
  type ClickCounts,
  clicksFromDaily,
  clicksFromRaw,
  clicksFromRollup,
  type Filters,
  type Grouping,
  salesFromRaw,
  salesFromRollup,
  viewsFromCounts,
} from './sources.js';
import { bucketKey, bucketStart, bucketsOf, nextDay, startOfDay, type TimeBucket } from './time.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const bad = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${field}: ${message}`, [{ path: `querystring.${field}`, message }]);

export interface Range {
  from: number;
  to: number;
  timezone: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function validDay(s: string): boolean {
  return DAY.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
}

/** Reads `from`, `to` and `timezone`: days in the zone, or instants; 400 with the field when wrong. */
export function rangeOf(q: AnalyticsQuery, scope: AnalyticsScope, now: Date): Range {
  let timezone = q.timezone;
  if (timezone !== undefined && !isTimeZone(timezone))
    throw bad('timezone', 'an IANA time zone, such as Europe/Helsinki');
  if (timezone === undefined) {
    const zones = new Set(scope.programs.map((p) => p.timezone));
    timezone = zones.size === 1 ? ([...zones][0] as string) : 'UTC';
  }
  const instant = (s: string, field: string, end: boolean): number => {
    if (DAY.test(s)) {
      if (!validDay(s)) throw bad(field, 'not a day of the calendar');
      return startOfDay(end ? nextDay(s) : s, timezone);
    }
    const t = Date.parse(s);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s) || Number.isNaN(t)) {
      throw bad(field, 'a day (YYYY-MM-DD) or an ISO 8601 instant');
    }
    return t;
  };
  const today = bucketKey(now.getTime(), 'day', timezone);
  const to = q.to !== undefined ? instant(q.to, 'to', true) : startOfDay(nextDay(today), timezone);
  let from: number;
  if (q.from !== undefined) from = instant(q.from, 'from', false);
  else {
    let day = bucketKey(to - 1, 'day', timezone);
    for (let i = 0; i < 29; i++) day = new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
    from = startOfDay(day, timezone);
  }
  if (to <= from) throw bad('to', 'the range ends before it begins');
  const maxDays = q.groupBy === 'hour' ? 31 : 732;
  if (to - from > maxDays * DAY_MS + HOUR_MS) {
    throw bad(
      q.groupBy === 'hour' ? 'groupBy' : 'from',
      `a range of at most ${maxDays} days${q.groupBy === 'hour' ? ' by the hour' : ''}`,
    );
  }
  return { from, to, timezone };
}

type Acc = SaleCounts & ClickCounts & { views: number };
const zero = (): Acc => ({ ...zeroSales(), clicks: 0, uniqueClicks: 0, views: 0 });

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const div = (a: number, b: number | null) => (b === null || b === 0 ? null : round6(a / b));

/** The metrics of a group from its additive counts; clicks and views null where they do not apply. */
export function metricsOf(a: Acc, clicksApply: boolean, viewsApply: boolean): Metrics {
  const clicks = clicksApply ? a.clicks : null;
  const views = viewsApply ? a.views : null;
  const netGmv = a.gmv - a.refunds;
  return {
    clicks,
    uniqueClicks: clicksApply ? a.uniqueClicks : null,
    leads: a.leads,
    sales: a.sales,
    gmv: a.gmv,
    refunds: a.refunds,
    netGmv,
    commissions: a.commissions,
    views,
    conversionRate: div(a.sales, clicks),
    epc: div(a.commissions * 100, clicks),
    aov: div(a.gmv, a.sales),
    refundRate: div(a.refunds, a.gmv),
    ctr: clicks === null ? null : div(clicks, views),
    gpm: div(netGmv * 1000, views),
  };
}

const saleDimOf: Partial<Record<GroupBy, SaleDimension>> = {
  content: 'content',
  link: 'link',
  code: 'code',
  product: 'product',
  country: 'country',
  device: 'device',
  browser: 'browser',
  os: 'os',
  referrer: 'referrer',
  placement: 'placement',
};

export interface Grouped {
  keys: string[] | undefined;
  groups: Map<string, Acc>;
  totals: Acc;
  clicksApply: boolean;
  viewsApply: boolean;
}

/**
 * Counts everything a query asks, grouped: picks for clicks and for sales the cheapest exact
 * source (rollups for whole hours and one dimension, raw rows otherwise), and the views.
 */
export async function countGrouped(
  db: DbOrTx,
  scope: AnalyticsScope,
  q: AnalyticsQuery,
  range: Range,
  /** `salesOnly`: no clicks, views or totals (the first step of `countTop`); `views` false: no views. */
  { salesOnly = false, views: wantViews = true }: { salesOnly?: boolean; views?: boolean } = {},
): Promise<Grouped> {
  const f: Filters = {
    programIds: scope.programs.map((p) => p.id),
    creatorId: scope.creatorId ?? q.creatorId,
    link: q.linkId,
    content: q.contentId,
    code: q.codeId,
    product: q.productId,
    country: q.country,
    device: q.device,
    placement: q.placement,
    from: range.from,
    to: range.to,
  };
  const groupBy = q.groupBy;
  const isTime = groupBy !== undefined && (timeGroups as readonly string[]).includes(groupBy);
  const bucket = isTime ? (groupBy as TimeBucket) : undefined;
  const keys = bucket ? bucketsOf(range.from, range.to, bucket, range.timezone) : undefined;
  // Rollups hold whole UTC hours: the range and every bucket must begin on one.
  const onHour = (t: number) => t % HOUR_MS === 0;
  const aligned =
    onHour(range.from) &&
    onHour(range.to) &&
    (!keys || keys.every((k) => onHour(Math.max(range.from, bucketStart(k, bucket as TimeBucket, range.timezone)))));
  const grouping: Grouping =
    groupBy === undefined
      ? 'none'
      : isTime
        ? 'time'
        : groupBy === 'creator'
          ? 'creator'
          : (saleDimOf[groupBy] as SaleDimension);

  // Clicks: none by code or product.
  const clicksApply = !q.codeId && !q.productId && groupBy !== 'code' && groupBy !== 'product';
  let clicks = new Map<string, ClickCounts>();
  if (clicksApply && !salesOnly) {
    const byValue = !!(q.country || q.device) || ['country', 'device', 'browser', 'os', 'referrer'].includes(grouping);
    const utcDays = onHour(range.from) && range.from % DAY_MS === 0 && range.to % DAY_MS === 0;
    if (!byValue && aligned) {
      clicks = await clicksFromRollup(
        db,
        f,
        grouping as 'none' | 'time' | 'creator' | 'link' | 'content' | 'placement',
      );
    } else if (
      utcDays &&
      !q.country &&
      !q.device &&
      (grouping === 'country' || grouping === 'device' || grouping === 'referrer')
    ) {
      clicks = await clicksFromDaily(db, f, grouping);
    } else {
      clicks = await clicksFromRaw(db, f, grouping);
    }
  }

  // Sales: the rollup under at most one dimension, else the raw rows.
  const filtered: [SaleDimension, string][] = (
    [
      ['link', q.linkId],
      ['content', q.contentId],
      ['code', q.codeId],
      ['product', q.productId],
      ['country', q.country],
      ['device', q.device],
      ['placement', q.placement],
    ] as [SaleDimension, string | undefined][]
  ).filter((e): e is [SaleDimension, string] => e[1] !== undefined);
  const groupDim = groupBy ? saleDimOf[groupBy] : undefined;
  const dims = new Set<SaleDimension>(filtered.map(([d]) => d));
  if (groupDim) dims.add(groupDim);
  let sales: Map<string, SaleCounts>;
  if (aligned && dims.size <= 1) {
    const dimension = [...dims][0] ?? 'all';
    const value = filtered.find(([d]) => d === dimension)?.[1];
    sales = await salesFromRollup(
      db,
      f,
      dimension,
      value,
      grouping === 'none' ? 'none' : grouping === 'time' ? 'time' : grouping === 'creator' ? 'creator' : 'value',
    );
  } else {
    sales = await salesFromRaw(db, f, grouping);
  }

  // Views: of the videos in scope, where the group is one of time, creator or video.
  const viewsApply =
    !q.linkId &&
    !q.codeId &&
    !q.productId &&
    !q.country &&
    !q.device &&
    !q.placement &&
    (grouping === 'none' || grouping === 'time' || grouping === 'creator' || grouping === 'content');
  const groups = new Map<string, Acc>();
  const totals = zero();
  const into = (key: string) => {
    let a = groups.get(key);
    if (!a) {
      a = zero();
      groups.set(key, a);
    }
    return a;
  };
  const keyOf = (raw: string) => (bucket ? bucketKey(Number(raw), bucket, range.timezone) : raw);
  for (const [raw, c] of clicks) {
    const a = into(keyOf(raw));
    a.clicks += c.clicks;
    a.uniqueClicks += c.uniqueClicks;
  }
  for (const [raw, s] of sales) {
    const a = into(keyOf(raw));
    a.leads += s.leads;
    a.sales += s.sales;
    a.gmv += s.gmv;
    a.refunds += s.refunds;
    a.commissions += s.commissions;
  }
  if (viewsApply && wantViews && !salesOnly) {
    const views = await viewsFromCounts(
      db,
      f,
      grouping as 'none' | 'time' | 'creator' | 'content',
      // Whole hours fall in one bucket only where the zone is a whole number of hours from UTC.
      !aligned,
    );
    for (const [raw, v] of views) into(keyOf(raw)).views += v;
  }
  groups.delete('null');
  if (salesOnly) {
    groups.delete('');
    return { keys, groups, totals, clicksApply, viewsApply };
  }
  if (grouping === 'none') {
    Object.assign(totals, groups.get('') ?? zero());
    groups.clear();
  } else if (grouping === 'time' || grouping === 'creator') {
    // Each event is in exactly one bucket or creator: the totals are the sum of the groups.
    for (const a of groups.values()) {
      for (const k of Object.keys(totals) as (keyof Acc)[]) totals[k] += a[k];
    }
  } else {
    // By a dimension, some events are in no group (a sale by code has no link) and an order of
    // two products is in two: the totals are counted on their own.
    // Views of the totals are shown only where they apply to the groups.
    const whole = await countGrouped(db, scope, { ...q, groupBy: undefined }, range, { views: viewsApply });
    Object.assign(totals, whole.totals);
  }
  groups.delete('');
  return { keys, groups, totals, clicksApply, viewsApply };
}

/** Picks the metrics a query asked for; 400 with the field for an unknown one. */
export function chosenMetrics(q: AnalyticsQuery): (keyof Metrics)[] {
  if (!q.metrics) return metricNames;
  const asked = q.metrics.split(',').map((m) => m.trim());
  for (const m of asked) {
    if (!(metricNames as string[]).includes(m))
      throw bad('metrics', `unknown metric ${m}; one of ${metricNames.join(', ')}`);
  }
  return metricNames.filter((m) => asked.includes(m));
}

export function pick(m: Metrics, names: (keyof Metrics)[]): Partial<Metrics> {
  const out: Partial<Metrics> = {};
  for (const n of names) (out as Record<string, unknown>)[n] = m[n];
  return out;
}

/** The order of groups: `orderBy` a metric (largest first) or `key` (in order); `-` before it turns the order round. */
export function orderOf(q: AnalyticsQuery): { by: keyof Metrics | 'key'; ascending: boolean } | undefined {
  if (!q.orderBy) return undefined;
  const flipped = q.orderBy.startsWith('-');
  const by = flipped ? q.orderBy.slice(1) : q.orderBy;
  if (by !== 'key' && !(metricNames as string[]).includes(by)) {
    throw bad('orderBy', `a metric or key; not ${by}`);
  }
  return { by: by as keyof Metrics | 'key', ascending: (by === 'key') !== flipped };
}
