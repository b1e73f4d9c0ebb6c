import type { DbOrTx } from '../db/database.js';
import { sql } from '../db/kysely.js';
import type { ConversionFact, SaleCounts, SaleDimension } from './facts.js';
import { PROGRAM, programDimensions, zeroSales } from './facts.js';
import { conversionFacts } from './recount.js';
import { viewsFromRollup } from './view-rollups.js';

/**
 * Where analytics read their numbers: the rollups when the question fits them (whole UTC hours,
 * at most one dimension), the raw rows otherwise. Every reader answers `(group, counts)` pairs;
 * a group is a time (milliseconds of an hour or minute), a creator id or a dimension's value.
 */

export interface Filters {
  programIds: string[];
  creatorId?: string | undefined;
  link?: string | undefined;
  content?: string | undefined;
  code?: string | undefined;
  product?: string | undefined;
  country?: string | undefined;
  device?: string | undefined;
  placement?: string | undefined;
  /** [from, to) in milliseconds. */
  from: number;
  to: number;
}

/** What a reader groups by: `time` gives instants in milliseconds (as strings) to be bucketed. */
export type Grouping = 'none' | 'time' | 'creator' | SaleDimension;

export interface ClickCounts {
  clicks: number;
  uniqueClicks: number;
}

const DAY_MS = 86_400_000;
const hourOf = (ms: number) => new Date(ms).toISOString().slice(0, 13);
const n = (v: unknown) => Number(v ?? 0);

/** Clicks from the hourly rollup of links: grouped by time, creator, link, video or placement. */
export async function clicksFromRollup(
  db: DbOrTx,
  f: Filters,
  grouping: 'none' | 'time' | 'creator' | 'link' | 'content' | 'placement',
): Promise<Map<string, ClickCounts>> {
  const out = new Map<string, ClickCounts>();
  if (f.programIds.length === 0) return out;
  const programWide = !f.link && !f.content && !f.placement;
  if (programWide && !f.creatorId && (grouping === 'none' || grouping === 'time')) {
    return clicksOfPrograms(db, f, grouping);
  }
  if (programWide && grouping === 'creator' && f.from % DAY_MS === 0 && f.to % DAY_MS === 0) {
    return clicksOfProgramDays(db, f, 'creator');
  }
  const col = {
    none: sql<string>`''`,
    time: sql<string>`h.hour`,
    creator: sql<string>`l.creator_id`,
    link: sql<string>`l.id`,
    content: sql<string>`l.content_id`,
    placement: sql<string>`l.placement`,
  }[grouping];
  let q = db
    .selectFrom('link_stats_hourly as h')
    .innerJoin('links as l', 'l.id', 'h.link_id')
    .select((eb) => [
      col.as('g'),
      eb.fn.sum<number>('h.clicks').as('clicks'),
      eb.fn.sum<number>('h.unique_clicks').as('unique_clicks'),
    ])
    .where('l.program_id', 'in', f.programIds)
    .where('h.hour', '>=', hourOf(f.from))
    .where('h.hour', '<', hourOf(f.to))
    .$if(grouping !== 'none', (qb) => qb.groupBy(col));
  if (f.creatorId) q = q.where('l.creator_id', '=', f.creatorId);
  if (f.link) q = q.where('l.id', '=', f.link);
  if (f.content) q = q.where('l.content_id', '=', f.content);
  if (f.placement) q = q.where('l.placement', '=', f.placement as 'bio');
  for (const r of await q.execute()) {
    if (r.g === null) continue;
    const key = grouping === 'time' ? String(Date.parse(`${r.g}:00:00Z`)) : String(r.g);
    out.set(key, { clicks: n(r.clicks), uniqueClicks: n(r.unique_clicks) });
  }
  return out;
}

/** Clicks from the daily rollup by country, device or referrer: whole UTC days only. */
export async function clicksFromDaily(
  db: DbOrTx,
  f: Filters,
  dimension: 'country' | 'device' | 'referrer',
): Promise<Map<string, ClickCounts>> {
  const out = new Map<string, ClickCounts>();
  if (f.programIds.length === 0) return out;
  if (!f.creatorId && !f.link && !f.content && !f.placement && dimension !== 'referrer') {
    return clicksOfProgramDays(db, f, dimension);
  }
  let q = db
    .selectFrom('link_stats_daily as d')
    .innerJoin('links as l', 'l.id', 'd.link_id')
    .select((eb) => [
      'd.value as g',
      eb.fn.sum<number>('d.clicks').as('clicks'),
      eb.fn.sum<number>('d.unique_clicks').as('unique_clicks'),
    ])
    .where('l.program_id', 'in', f.programIds)
    .where('d.dimension', '=', dimension)
    .where('d.day', '>=', new Date(f.from).toISOString().slice(0, 10))
    .where('d.day', '<', new Date(f.to).toISOString().slice(0, 10))
    .groupBy('d.value');
  if (f.creatorId) q = q.where('l.creator_id', '=', f.creatorId);
  if (f.link) q = q.where('l.id', '=', f.link);
  if (f.content) q = q.where('l.content_id', '=', f.content);
  if (f.placement) q = q.where('l.placement', '=', f.placement as 'bio');
  for (const r of await q.execute()) out.set(r.g, { clicks: n(r.clicks), uniqueClicks: n(r.unique_clicks) });
  return out;
}

/** Clicks of whole programs from their hourly rollup: one row per program and hour. */
async function clicksOfPrograms(db: DbOrTx, f: Filters, grouping: 'none' | 'time'): Promise<Map<string, ClickCounts>> {
  const out = new Map<string, ClickCounts>();
  const col = grouping === 'time' ? sql<string>`hour` : sql<string>`''`;
  const rows = await db
    .selectFrom('click_stats_hourly')
    .select((eb) => [
      col.as('g'),
      eb.fn.sum<number>('clicks').as('clicks'),
      eb.fn.sum<number>('unique_clicks').as('unique_clicks'),
    ])
    .where('program_id', 'in', f.programIds)
    .where('hour', '>=', hourOf(f.from))
    .where('hour', '<', hourOf(f.to))
    .$if(grouping === 'time', (qb) => qb.groupBy(col))
    .execute();
  for (const r of rows) {
    if (r.g === null) continue;
    const key = grouping === 'time' ? String(Date.parse(`${r.g}:00:00Z`)) : String(r.g);
    out.set(key, { clicks: n(r.clicks), uniqueClicks: n(r.unique_clicks) });
  }
  return out;
}

/** Clicks of whole programs (or one creator) by the day's country, device or creator: whole UTC days only. */
async function clicksOfProgramDays(
  db: DbOrTx,
  f: Filters,
  dimension: 'country' | 'device' | 'creator',
): Promise<Map<string, ClickCounts>> {
  const out = new Map<string, ClickCounts>();
  let q = db
    .selectFrom('click_stats_daily')
    .select((eb) => [
      'value as g',
      eb.fn.sum<number>('clicks').as('clicks'),
      eb.fn.sum<number>('unique_clicks').as('unique_clicks'),
    ])
    .where('program_id', 'in', f.programIds)
    .where('dimension', '=', dimension)
    .where('day', '>=', new Date(f.from).toISOString().slice(0, 10))
    .where('day', '<', new Date(f.to).toISOString().slice(0, 10))
    .groupBy('value');
  if (f.creatorId) q = q.where('value', '=', f.creatorId);
  for (const r of await q.execute()) out.set(r.g, { clicks: n(r.clicks), uniqueClicks: n(r.unique_clicks) });
  return out;
}

/** Clicks counted from the raw rows: any filter, any grouping; time by the minute. */
export async function clicksFromRaw(db: DbOrTx, f: Filters, grouping: Grouping): Promise<Map<string, ClickCounts>> {
  const out = new Map<string, ClickCounts>();
  if (f.programIds.length === 0 || grouping === 'code' || grouping === 'product') return out;
  const col = {
    none: sql<string>`''`,
    time: sql<string>`substr(c.at, 1, 16)`,
    creator: sql<string>`c.creator_id`,
    link: sql<string>`c.link_id`,
    content: sql<string>`l.content_id`,
    placement: sql<string>`c.placement`,
    country: sql<string>`c.country`,
    device: sql<string>`c.device`,
    browser: sql<string>`c.browser`,
    os: sql<string>`c.os`,
    referrer: sql<string>`c.referrer`,
  }[grouping];
  let q = db
    .selectFrom('clicks as c')
    .innerJoin('links as l', 'l.id', 'c.link_id')
    .select((eb) => [col.as('g'), eb.fn.countAll<number>().as('clicks'), eb.fn.sum<number>('c.is_unique').as('uniq')])
    .where('c.program_id', 'in', f.programIds)
    .where('c.at', '>=', new Date(f.from).toISOString())
    .where('c.at', '<', new Date(f.to).toISOString())
    .where('c.is_bot', '=', 0)
    .$if(grouping !== 'none', (qb) => qb.groupBy(col));
  if (f.creatorId) q = q.where('c.creator_id', '=', f.creatorId);
  if (f.link) q = q.where('c.link_id', '=', f.link);
  if (f.content) q = q.where('l.content_id', '=', f.content);
  if (f.placement) q = q.where('c.placement', '=', f.placement as 'bio');
  if (f.country) q = q.where('c.country', '=', f.country);
  if (f.device) q = q.where('c.device', '=', f.device);
  for (const r of await q.execute()) {
    if (r.g === null) continue;
    const key = grouping === 'time' ? String(Date.parse(`${r.g}:00Z`)) : String(r.g);
    out.set(key, { clicks: n(r.clicks), uniqueClicks: n(r.uniq) });
  }
  return out;
}

/** Sales from the rollup, read under one dimension (`all` for none), its value fixed when filtered. */
export async function salesFromRollup(
  db: DbOrTx,
  f: Filters,
  dimension: SaleDimension | 'all',
  value: string | undefined,
  grouping: 'none' | 'time' | 'creator' | 'value',
): Promise<Map<string, SaleCounts>> {
  const out = new Map<string, SaleCounts>();
  if (f.programIds.length === 0) return out;
  const col = {
    none: sql<string>`''`,
    time: sql<string>`hour`,
    creator: sql<string>`creator_id`,
    value: sql<string>`value`,
  }[grouping];
  let q = db
    .selectFrom('conversion_stats_hourly')
    .select((eb) => [
      col.as('g'),
      eb.fn.sum<number>('leads').as('leads'),
      eb.fn.sum<number>('sales').as('sales'),
      eb.fn.sum<number>('gmv').as('gmv'),
      eb.fn.sum<number>('refunds').as('refunds'),
      eb.fn.sum<number>('commissions').as('commissions'),
    ])
    .where('program_id', 'in', f.programIds)
    .where('dimension', '=', dimension)
    .where('hour', '>=', hourOf(f.from))
    .where('hour', '<', hourOf(f.to))
    .$if(grouping !== 'none', (qb) => qb.groupBy(col));
  if (value !== undefined) q = q.where('value', '=', value);
  // The program's totals (creator PROGRAM) are read where they are kept and nothing asks for creators.
  if (f.creatorId) q = q.where('creator_id', '=', f.creatorId);
  else if (grouping !== 'creator' && (programDimensions as readonly string[]).includes(dimension)) {
    q = q.where('creator_id', '=', PROGRAM);
  } else q = q.where('creator_id', '<>', PROGRAM);
  for (const r of await q.execute()) {
    const key = grouping === 'time' ? String(Date.parse(`${r.g}:00:00Z`)) : String(r.g);
    out.set(key, {
      leads: n(r.leads),
      sales: n(r.sales),
      gmv: n(r.gmv),
      refunds: n(r.refunds),
      commissions: n(r.commissions),
    });
  }
  return out;
}

/** Whether a conversion passes the filters on its context (the product filter is applied to lines). */
function passes(fact: ConversionFact, f: Filters): boolean {
  const c = fact.context;
  return (
    (!f.link || c.link === f.link) &&
    (!f.content || c.content === f.content) &&
    (!f.code || c.code === f.code) &&
    (!f.country || c.country === f.country) &&
    (!f.device || c.device === f.device) &&
    (!f.placement || c.placement === f.placement)
  );
}

/** Sales counted from the raw rows: any filters together, any grouping, time to the instant. */
export async function salesFromRaw(db: DbOrTx, f: Filters, grouping: Grouping): Promise<Map<string, SaleCounts>> {
  const out = new Map<string, SaleCounts>();
  const add = (key: string, fact: ConversionFact, lines: ConversionFact['lines'], other: boolean) => {
    let t = out.get(key);
    if (!t) {
      t = zeroSales();
      out.set(key, t);
    }
    if (fact.kind === 'lead') t.leads += 1;
    else t.sales += 1;
    for (const l of lines) {
      if (fact.kind === 'sale') {
        t.gmv += l.amount;
        t.refunds += l.refunded;
      }
      t.commissions += l.commission;
    }
    if (other) t.commissions += fact.otherCommission;
  };
  for await (const facts of conversionFacts(db, {
    programIds: f.programIds,
    creatorId: f.creatorId,
    from: new Date(f.from).toISOString(),
    to: new Date(f.to).toISOString(),
  })) {
    for (const fact of facts) {
      if (!passes(fact, f)) continue;
      const lines = f.product ? fact.lines.filter((l) => l.productId === f.product) : fact.lines;
      if (f.product && lines.length === 0) continue;
      if (grouping === 'product') {
        const byProduct = new Map<string, ConversionFact['lines']>();
        for (const l of lines) {
          if (!l.productId) continue;
          byProduct.set(l.productId, [...(byProduct.get(l.productId) ?? []), l]);
        }
        for (const [productId, ls] of byProduct) add(productId, fact, ls, false);
        continue;
      }
      const key =
        grouping === 'none'
          ? ''
          : grouping === 'time'
            ? String(fact.at)
            : grouping === 'creator'
              ? fact.creatorId
              : fact.context[grouping];
      if (grouping !== 'none' && key === '') continue;
      add(key, fact, lines, !f.product);
    }
  }
  return out;
}

/**
 * Views gained in the range by the videos that links or codes of the programs in scope point at,
 * grouped by time (the instant of a UTC hour, or of a minute), creator or video: a sum over the
 * gains each view count recorded.
 */
export async function viewsFromCounts(
  db: DbOrTx,
  f: Filters,
  grouping: 'none' | 'time' | 'creator' | 'content',
  byMinute: boolean,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (f.programIds.length === 0) return out;
  // One program's views by whole hours are in its rollup (a video in two programs would count
  // twice in a sum of theirs).
  if (f.programIds.length === 1 && !byMinute && !f.content && grouping !== 'content') {
    return viewsFromRollup(db, f.programIds[0] as string, f.from, f.to, f.creatorId, grouping);
  }
  const col = {
    none: sql<string>`''`,
    time: byMinute ? sql<string>`substr(v.at, 1, 16)` : sql<string>`substr(v.at, 1, 13)`,
    creator: sql<string>`c.creator_id`,
    content: sql<string>`v.content_id`,
  }[grouping];
  const ofLinks = db
    .selectFrom('links')
    .select('content_id')
    .where('program_id', 'in', f.programIds)
    .where('content_id', 'is not', null)
    .$if(f.creatorId !== undefined, (q) => q.where('creator_id', '=', f.creatorId as string))
    .$if(f.content !== undefined, (q) => q.where('content_id', '=', f.content as string));
  const ofCodes = db
    .selectFrom('codes')
    .select('content_id')
    .where('program_id', 'in', f.programIds)
    .where('content_id', 'is not', null)
    .$if(f.creatorId !== undefined, (q) => q.where('creator_id', '=', f.creatorId as string))
    .$if(f.content !== undefined, (q) => q.where('content_id', '=', f.content as string));
  // The videos' creators are looked up only where views are grouped by them.
  const rows = await db
    .selectFrom('content_views as v')
    .$if(grouping === 'creator', (q) => q.innerJoin('contents as c', 'c.id', 'v.content_id'))
    .select((eb) => [col.as('g'), eb.fn.sum<number>('v.gained').as('views')])
    .where('v.at', '>=', new Date(f.from).toISOString())
    .where('v.at', '<', new Date(f.to).toISOString())
    .where('v.content_id', 'in', ofLinks.union(ofCodes))
    .$if(grouping !== 'none', (q) => q.groupBy(col))
    .execute();
  for (const r of rows) {
    if (r.g === null) continue;
    const key = grouping === 'time' ? String(Date.parse(byMinute ? `${r.g}:00Z` : `${r.g}:00:00Z`)) : String(r.g);
    out.set(key, n(r.views));
  }
  return out;
}
