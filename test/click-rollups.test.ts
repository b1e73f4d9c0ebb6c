import { existsSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteClickBatchWriter } from '../src/clicks/sqlite-store.js';
import { linkStats } from '../src/clicks/stats.js';
import { type ClickRecord, ClickWriter, writeClickBatch } from '../src/clicks/writer.js';
import type { Db } from '../src/db/database.js';
import { newId } from '../src/shared/ids.js';
import { createTestDatabase, dialect, type TestDatabase } from './helpers/database.js';

/**
 * Statistics read only the rollups, so the rollups must always equal what a recount of the raw
 * clicks gives, and the unique flags must follow the rule: the first click of a visitor on a link
 * within the day. Checked for arbitrary batches of clicks, through every way clicks are written.
 */
let t: TestDatabase;
let db: Db;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.handle.db;
});
afterAll(async () => {
  await t?.drop();
});

const BASE = Date.parse('2026-11-20T00:00:00.000Z');
const countries = ['FI', 'SE', 'US', 'unknown'];
const devices = ['mobile', 'desktop', 'tablet'];
const referrers = ['tiktok.com', 'instagram.com', 'direct'];

interface Draft {
  link: number;
  minute: number;
  visitor: number;
  isBot: boolean;
  country: number;
  device: number;
  referrer: number;
}

const draft: fc.Arbitrary<Draft> = fc.record({
  link: fc.integer({ min: 0, max: 2 }),
  // three days, so that clicks fall in several hours and days
  minute: fc.integer({ min: 0, max: 3 * 24 * 60 - 1 }),
  visitor: fc.integer({ min: 0, max: 4 }),
  isBot: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  country: fc.integer({ min: 0, max: countries.length - 1 }),
  device: fc.integer({ min: 0, max: devices.length - 1 }),
  referrer: fc.integer({ min: 0, max: referrers.length - 1 }),
});
const batches = fc.array(fc.array(draft, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 6 });

let run = 0;
function materialise(drafts: Draft[][]): { links: string[]; batches: ClickRecord[][] } {
  run += 1;
  const links = [0, 1, 2].map((i) => `lnk_run${run}_${i}`);
  return {
    links,
    batches: drafts.map((batch) =>
      batch.map((d) => {
        const at = new Date(BASE + d.minute * 60_000);
        return {
          id: newId('click', at.getTime()),
          linkId: links[d.link] as string,
          programId: 'prg_test',
          creatorId: 'cr_test',
          contentId: null,
          placement: 'bio',
          at,
          visitorHash: `visitor${d.visitor}`,
          device: d.isBot ? 'bot' : (devices[d.device] as string),
          browser: 'Safari',
          os: 'iOS',
          country: countries[d.country] as string,
          referrer: referrers[d.referrer] as string,
          isBot: d.isBot,
        };
      }),
    ),
  };
}

interface Count {
  clicks: number;
  unique: number;
  bots: number;
}
const zero = (): Count => ({ clicks: 0, unique: 0, bots: 0 });

/** Recounts one link from its raw clicks alone, in the order they were written. */
async function recount(linkId: string) {
  const rows = await db.selectFrom('clicks').selectAll().where('link_id', '=', linkId).orderBy('id').execute();
  const seen = new Set<string>();
  const hours = new Map<string, Count>();
  const days = new Map<string, Count>();
  const dims = new Map<string, Count>();
  const total = zero();
  for (const row of rows) {
    const day = row.at.slice(0, 10);
    const expectedUnique = !row.is_bot && !seen.has(`${day}|${row.visitor_hash}`);
    if (expectedUnique) seen.add(`${day}|${row.visitor_hash}`);
    expect(Boolean(row.is_unique), `unique flag of ${row.id}`).toBe(expectedUnique);
    const bump = (map: Map<string, Count> | undefined, key: string, c: Count = zero()) => {
      const n = map ? (map.get(key) ?? c) : c;
      if (row.is_bot) n.bots += 1;
      else {
        n.clicks += 1;
        if (row.is_unique) n.unique += 1;
      }
      map?.set(key, n);
      return n;
    };
    bump(hours, row.at.slice(0, 13));
    bump(days, day);
    bump(dims, `${day}|country|${row.country}`);
    bump(dims, `${day}|device|${row.device}`);
    bump(dims, `${day}|referrer|${row.referrer}`);
    bump(undefined, '', total);
  }
  return { hours, days, dims, total, rows: rows.length };
}

async function checkLink(linkId: string): Promise<number> {
  const expected = await recount(linkId);
  const hourly = await db.selectFrom('link_stats_hourly').selectAll().where('link_id', '=', linkId).execute();
  expect(
    new Map(
      hourly.map((r) => [
        r.hour,
        { clicks: Number(r.clicks), unique: Number(r.unique_clicks), bots: Number(r.bot_clicks) },
      ]),
    ),
  ).toEqual(expected.hours);
  const daily = await db.selectFrom('link_stats_daily').selectAll().where('link_id', '=', linkId).execute();
  expect(
    new Map(
      daily.map((r) => [
        `${r.day}|${r.dimension}|${r.value}`,
        { clicks: Number(r.clicks), unique: Number(r.unique_clicks), bots: Number(r.bot_clicks) },
      ]),
    ),
  ).toEqual(expected.dims);

  const stats = await linkStats(db, linkId, {});
  expect({ clicks: stats.clicks, unique: stats.uniqueClicks, bots: stats.botClicks }).toEqual(expected.total);
  expect(
    new Map(stats.byDay.map((d) => [d.day, { clicks: d.clicks, unique: d.uniqueClicks, bots: d.botClicks }])),
  ).toEqual(expected.days);
  for (const [dimension, list] of [
    ['country', stats.byCountry.map((c) => [c.country, c] as const)],
    ['device', stats.byDevice.map((c) => [c.device, c] as const)],
    ['referrer', stats.byReferrer.map((c) => [c.referrer, c] as const)],
  ] as const) {
    const want = new Map<string, Count>();
    for (const [key, n] of expected.dims) {
      const [, dim, value] = key.split('|') as [string, string, string];
      if (dim !== dimension) continue;
      const sum = want.get(value) ?? zero();
      sum.clicks += n.clicks;
      sum.unique += n.unique;
      sum.bots += n.bots;
      want.set(value, sum);
    }
    expect(
      new Map(list.map(([value, c]) => [value, { clicks: c.clicks, unique: c.uniqueClicks, bots: c.botClicks }])),
    ).toEqual(want);
  }
  return expected.rows;
}

async function checkAll(links: string[], written: number) {
  let rows = 0;
  for (const link of links) rows += await checkLink(link);
  expect(rows).toBe(written);
}

describe('click rollups', () => {
  it('equal a recount of the raw clicks, batch by batch through the Kysely writer', async () => {
    await fc.assert(
      fc.asyncProperty(batches, async (drafts) => {
        const { links, batches: written } = materialise(drafts);
        for (const batch of written) await db.transaction().execute((tx) => writeClickBatch(tx, batch));
        await checkAll(links, written.flat().length);
      }),
      { numRuns: 20 },
    );
  });

  it('equal a recount of the raw clicks when clicks arrive one by one at a group-commit writer', async () => {
    const writer = new ClickWriter(db, { sqlite: t.handle.sqlite });
    await fc.assert(
      fc.asyncProperty(batches, async (drafts) => {
        const { links, batches: written } = materialise(drafts);
        // All at once, as concurrent redirects would: the writer forms its own batches.
        const flags = await Promise.all(written.flat().map((c) => writer.write(c)));
        expect(flags.every((f) => typeof f === 'boolean')).toBe(true);
        await checkAll(links, written.flat().length);
      }),
      { numRuns: 20 },
    );
    await writer.close();
  });

  it.runIf(dialect === 'sqlite')('equal a recount through the prepared statements used on SQLite', async () => {
    const write = sqliteClickBatchWriter(t.handle.sqlite!);
    await fc.assert(
      fc.asyncProperty(batches, async (drafts) => {
        const { links, batches: written } = materialise(drafts);
        for (const batch of written) write(batch);
        await checkAll(links, written.flat().length);
      }),
      { numRuns: 20 },
    );
  });

  it.runIf(dialect === 'sqlite')('equal a recount through the writer thread of the built server', async () => {
    const built = path.resolve('dist/clicks/writer.js');
    expect(existsSync(built), 'npm test builds dist/ first').toBe(true);
    const { ClickWriter: BuiltWriter } = (await import(built)) as typeof import('../src/clicks/writer.js');
    const config = t.config as { file: string };
    const writer = await BuiltWriter.open(db, { sqlite: t.handle.sqlite, workerFile: config.file });
    expect(writer.threaded).toBe(true);
    await fc.assert(
      fc.asyncProperty(batches, async (drafts) => {
        const { links, batches: written } = materialise(drafts);
        await Promise.all(written.flat().map((c) => writer.write(c)));
        await checkAll(links, written.flat().length);
      }),
      { numRuns: 15 },
    );
    await writer.close();
  });
});
