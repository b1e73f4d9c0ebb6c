import { existsSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickRecord } from '../../src/clicks/click.js';
import { sqliteClickBatchWriter } from '../../src/clicks/sqlite-store.js';
import { linkStats } from '../../src/clicks/stats.js';
import { ClickWriter, writeClickBatch } from '../../src/clicks/writer.js';
import type { Db } from '../../src/db/database.js';
import { newId } from '../../src/shared/ids.js';
import { createTestDatabase, dialect, type TestDatabase } from '../helpers/database.js';

/**
 * Statistics read only the rollups, so the rollups must always equal what a recount of the raw
 * clicks gives, and the unique flags must follow the rule: the first click of a visitor on a link
 * within the day. Checked for arbitrary batches of clicks, through every way clicks are written,
 * one after the other and at the same time.
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
const DAYS = ['2026-11-20', '2026-11-21', '2026-11-22'];
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
  minute: fc.integer({ min: 0, max: DAYS.length * 24 * 60 - 1 }),
  visitor: fc.integer({ min: 0, max: 4 }),
  isBot: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  country: fc.integer({ min: 0, max: countries.length - 1 }),
  device: fc.integer({ min: 0, max: devices.length - 1 }),
  referrer: fc.integer({ min: 0, max: referrers.length - 1 }),
});
const batches = fc.array(fc.array(draft, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 6 });

let run = 0;
let lastId = '';
function materialise(drafts: Draft[][]): { links: string[]; batches: ClickRecord[][] } {
  run += 1;
  const links = [0, 1, 2].map((i) => `lnk_run${run}_${i}`);
  return {
    links,
    batches: drafts.map((batch) =>
      batch.map((d) => {
        const at = new Date(BASE + d.minute * 60_000);
        const id = newId('click', at.getTime());
        // Ids made in one process only grow, whatever the click's time: the recount orders by
        // id to replay the clicks in the order they were handed to the writer.
        expect(id > lastId, 'click ids grow in the order they are made').toBe(true);
        lastId = id;
        return {
          id,
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

/**
 * Which clicks may be the unique one of their visitor, link and day. `insertion`: the first
 * non-bot click in the order written (ids). Otherwise, for writes that ran at the same time and
 * so have no single order, the set of clicks that could have been first when their batch
 * committed; exactly one of a visitor's clicks in a day must then be unique, and one of these.
 */
type UniqueRule = 'insertion' | Set<string>;

/** Recounts one link from its raw clicks alone, checking every unique flag against `rule`. */
async function recount(linkId: string, rule: UniqueRule) {
  const rows = await db.selectFrom('clicks').selectAll().where('link_id', '=', linkId).orderBy('id').execute();
  const seen = new Set<string>();
  const uniqueOf = new Map<string, number>();
  const hours = new Map<string, Count>();
  const dims = new Map<string, Count>();
  for (const row of rows) {
    const day = row.at.slice(0, 10);
    const key = `${day}|${row.visitor_hash}`;
    if (row.is_bot) expect(Boolean(row.is_unique), `bot click ${row.id} is never unique`).toBe(false);
    else if (rule === 'insertion') {
      expect(Boolean(row.is_unique), `unique flag of ${row.id}`).toBe(!seen.has(key));
      seen.add(key);
    } else {
      uniqueOf.set(key, (uniqueOf.get(key) ?? 0) + (row.is_unique ? 1 : 0));
      if (row.is_unique) expect(rule.has(row.id), `${row.id} could not have been first`).toBe(true);
    }
    const bump = (map: Map<string, Count>, k: string) => {
      const n = map.get(k) ?? zero();
      if (row.is_bot) n.bots += 1;
      else {
        n.clicks += 1;
        if (row.is_unique) n.unique += 1;
      }
      map.set(k, n);
    };
    bump(hours, row.at.slice(0, 13));
    bump(dims, `${day}|country|${row.country}`);
    bump(dims, `${day}|device|${row.device}`);
    bump(dims, `${day}|referrer|${row.referrer}`);
  }
  for (const [key, n] of uniqueOf) expect(n, `unique clicks of ${linkId} ${key}`).toBe(1);
  return { hours, dims, rows: rows.length };
}

const add = (sum: Count, n: Count) => {
  sum.clicks += n.clicks;
  sum.unique += n.unique;
  sum.bots += n.bots;
};
const asCount = (c: { clicks: number; uniqueClicks: number; botClicks: number }): Count => ({
  clicks: c.clicks,
  unique: c.uniqueClicks,
  bots: c.botClicks,
});

/** The ranges statistics are read over: all time, open ends, one day. */
const ranges: { from?: string; to?: string }[] = [
  {},
  { from: DAYS[1] },
  { to: DAYS[1] },
  { from: DAYS[1], to: DAYS[1] },
];

async function checkLink(linkId: string, rule: UniqueRule): Promise<number> {
  const expected = await recount(linkId, rule);
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

  for (const range of ranges) {
    const inRange = (day: string) => (!range.from || day >= range.from) && (!range.to || day <= range.to);
    const total = zero();
    const days = new Map<string, Count>();
    for (const [hour, n] of expected.hours) {
      const day = hour.slice(0, 10);
      if (!inRange(day)) continue;
      add(total, n);
      const sum = days.get(day) ?? zero();
      add(sum, n);
      days.set(day, sum);
    }
    const stats = await linkStats(db, linkId, range);
    const where = `stats of ${linkId} over ${JSON.stringify(range)}`;
    expect(asCount(stats), where).toEqual(total);
    expect(new Map(stats.byDay.map((d) => [d.day, asCount(d)])), where).toEqual(days);
    expect(
      stats.byDay.map((d) => d.day),
      where,
    ).toEqual([...days.keys()].sort());
    for (const [dimension, list] of [
      ['country', stats.byCountry.map((c) => [c.country, asCount(c)] as const)],
      ['device', stats.byDevice.map((c) => [c.device, asCount(c)] as const)],
      ['referrer', stats.byReferrer.map((c) => [c.referrer, asCount(c)] as const)],
    ] as const) {
      const want = new Map<string, Count>();
      for (const [key, n] of expected.dims) {
        const [day, dim, value] = key.split('|') as [string, string, string];
        if (dim !== dimension || !inRange(day)) continue;
        const sum = want.get(value) ?? zero();
        add(sum, n);
        want.set(value, sum);
      }
      expect(new Map(list), `${where}, by ${dimension}`).toEqual(want);
      // Most clicks first.
      const clicks = list.map(([, c]) => c.clicks);
      expect(clicks, `${where}, by ${dimension}`).toEqual([...clicks].sort((a, b) => b - a));
    }
  }
  return expected.rows;
}

async function checkAll(links: string[], written: number, rule: UniqueRule = 'insertion') {
  let rows = 0;
  for (const link of links) rows += await checkLink(link, rule);
  expect(rows).toBe(written);
}

/** The unique flags the writers returned must be the ones stored. */
async function checkFlags(flags: Map<string, boolean>) {
  const rows = await db
    .selectFrom('clicks')
    .select(['id', 'is_unique'])
    .where('id', 'in', [...flags.keys()])
    .execute();
  expect(new Map(rows.map((r) => [r.id, Boolean(r.is_unique)]))).toEqual(flags);
}

/** The clicks that are the first non-bot click of their visitor, link and day in `clicks`. */
function firsts(clicks: ClickRecord[]): string[] {
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const c of clicks) {
    const key = `${c.linkId}|${c.at.toISOString().slice(0, 10)}|${c.visitorHash}`;
    if (c.isBot || seen.has(key)) continue;
    seen.add(key);
    ids.push(c.id);
  }
  return ids;
}

describe('click rollups', () => {
  it('equal a recount of the raw clicks, batch by batch through the Kysely writer', async () => {
    await fc.assert(
      fc.asyncProperty(batches, async (drafts) => {
        const { links, batches: written } = materialise(drafts);
        const flags = new Map<string, boolean>();
        for (const batch of written) {
          const stored = await db.transaction().execute((tx) => writeClickBatch(tx, batch));
          for (const s of stored) flags.set(s.id, s.isUnique);
        }
        await checkAll(links, written.flat().length);
        await checkFlags(flags);
      }),
      { numRuns: 25 },
    );
  });

  it('equal a recount of the raw clicks when clicks arrive one by one at a group-commit writer', async () => {
    const writer = new ClickWriter(db, { sqlite: t.handle.sqlite });
    await fc.assert(
      fc.asyncProperty(batches, async (drafts) => {
        const { links, batches: written } = materialise(drafts);
        // All at once, as concurrent redirects would: the writer forms its own batches.
        const clicks = written.flat();
        const flags = await Promise.all(clicks.map((c) => writer.write(c)));
        await checkAll(links, clicks.length);
        await checkFlags(new Map(clicks.map((c, i) => [c.id, flags[i] as boolean])));
      }),
      { numRuns: 25 },
    );
    await writer.close();
  });

  it('equal a recount when transactions and a group-commit writer write the same links at once', async () => {
    const writer = new ClickWriter(db, { sqlite: t.handle.sqlite });
    const mixed = fc.array(
      fc.record({ viaWriter: fc.boolean(), clicks: fc.array(draft, { minLength: 1, maxLength: 30 }) }),
      {
        minLength: 2,
        maxLength: 8,
      },
    );
    await fc.assert(
      fc.asyncProperty(mixed, async (parts) => {
        const { links, batches: written } = materialise(parts.map((p) => p.clicks));
        const direct = written.filter((_, i) => !parts[i]?.viaWriter);
        const viaWriter = written.filter((_, i) => parts[i]?.viaWriter).flat();
        // A batch of its own commits as a whole; the writer keeps the order clicks reach it.
        const couldBeFirst = new Set([...direct.flatMap(firsts), ...firsts(viaWriter)]);
        const flags = new Map<string, boolean>();
        await Promise.all([
          ...direct.map(async (batch) => {
            const stored = await db.transaction().execute((tx) => writeClickBatch(tx, batch));
            for (const s of stored) flags.set(s.id, s.isUnique);
          }),
          ...viaWriter.map(async (c) => flags.set(c.id, await writer.write(c))),
        ]);
        await checkAll(links, written.flat().length, couldBeFirst);
        await checkFlags(flags);
      }),
      { numRuns: 25 },
    );
    await writer.close();
  });

  it('equal a recount when concurrent transactions meet the same visitors in different orders', async () => {
    // Transactions at the same time that mark the same visitors must not wait on each other in a
    // cycle (on PostgreSQL, a deadlock that fails a batch of already-counted redirects).
    const pool = Array.from({ length: 40 }, (_, i) => `visitor${i}`);
    const orders = fc.array(fc.shuffledSubarray(pool, { minLength: 20 }), { minLength: 4, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(orders, async (visitorOrders) => {
        run += 1;
        const links = [`lnk_run${run}_0`];
        const at = new Date(BASE + 10 * 3_600_000);
        const written = visitorOrders.map((order) =>
          order.map(
            (visitorHash): ClickRecord => ({
              id: newId('click', at.getTime()),
              linkId: links[0] as string,
              programId: 'prg_test',
              creatorId: 'cr_test',
              contentId: null,
              placement: 'bio',
              at,
              visitorHash,
              device: 'mobile',
              browser: 'Safari',
              os: 'iOS',
              country: 'FI',
              referrer: 'direct',
              isBot: false,
            }),
          ),
        );
        const results = await Promise.allSettled(
          written.map((batch) => db.transaction().execute((tx) => writeClickBatch(tx, batch))),
        );
        expect(results.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual([]);
        await checkAll(links, written.flat().length, new Set(written.flatMap(firsts)));
      }),
      { numRuns: 15 },
    );
  });

  it.runIf(dialect === 'sqlite')('equal a recount through the prepared statements used on SQLite', async () => {
    const write = sqliteClickBatchWriter(t.handle.sqlite!);
    await fc.assert(
      fc.asyncProperty(batches, async (drafts) => {
        const { links, batches: written } = materialise(drafts);
        const flags = new Map<string, boolean>();
        for (const batch of written) {
          const unique = write(batch);
          batch.forEach((c, i) => {
            flags.set(c.id, unique[i] === 1);
          });
        }
        await checkAll(links, written.flat().length);
        await checkFlags(flags);
      }),
      { numRuns: 25 },
    );
  });

  it.runIf(dialect === 'sqlite')("opens the writer thread's connection with the server's sync setting", async () => {
    const built = path.resolve('dist/clicks/writer.js');
    const { ClickWriter: BuiltWriter } = (await import(built)) as typeof import('../../src/clicks/writer.js');
    const config = t.config as { file: string };
    const normal = await BuiltWriter.open(db, { sqlite: t.handle.sqlite, workerFile: config.file });
    const full = await BuiltWriter.open(db, { sqlite: t.handle.sqlite, workerFile: config.file, synchronous: 'full' });
    try {
      expect(normal.threadSynchronous).toBe(1);
      expect(full.threadSynchronous).toBe(2);
    } finally {
      await normal.close();
      await full.close();
    }
  });

  it.runIf(dialect === 'sqlite')('equal a recount through the writer thread of the built server', async () => {
    const built = path.resolve('dist/clicks/writer.js');
    expect(existsSync(built), 'npm test builds dist/ first').toBe(true);
    const { ClickWriter: BuiltWriter } = (await import(built)) as typeof import('../../src/clicks/writer.js');
    const config = t.config as { file: string };
    const writer = await BuiltWriter.open(db, { sqlite: t.handle.sqlite, workerFile: config.file });
    expect(writer.threaded).toBe(true);
    await fc.assert(
      fc.asyncProperty(batches, async (drafts) => {
        const { links, batches: written } = materialise(drafts);
        const clicks = written.flat();
        const flags = await Promise.all(clicks.map((c) => writer.write(c)));
        await checkAll(links, clicks.length);
        await checkFlags(new Map(clicks.map((c, i) => [c.id, flags[i] as boolean])));
      }),
      { numRuns: 15 },
    );
    await writer.close();
  });
});
