import type SqliteDatabase from 'better-sqlite3';
import { insertSql } from '../db/insert-sql.js';
import type { ClickRecord } from './click.js';
import { ProgramClickStats, sqliteProgramStatsWriter } from './program-stats.js';

interface Counts {
  clicks: number;
  unique: number;
  bots: number;
}

/** Clicks written by one statement: fewer statements run for a batch, each binding more rows. */
const ROWS_PER_INSERT = 8;
/** The columns of a raw click, in the order the writer binds them. */
const CLICK_COLUMNS = [
  'id',
  'link_id',
  'program_id',
  'creator_id',
  'content_id',
  'placement',
  'at',
  'visitor_hash',
  'device',
  'browser',
  'os',
  'country',
  'referrer',
  'is_bot',
  'is_unique',
] as const;
const WIDTH = CLICK_COLUMNS.length;

/** A click's time as text, and its hour and day, made once for the clicks of one millisecond. */
interface Stamp {
  at: string;
  hour: string;
  day: string;
}

/** Rollup counts of one link and day, per dimension and value. */
interface DayCounts {
  country: Map<string, Counts>;
  device: Map<string, Counts>;
  referrer: Map<string, Counts>;
}

function counts<K>(map: Map<K, Counts>, key: K): Counts {
  let found = map.get(key);
  if (!found) {
    found = { clicks: 0, unique: 0, bots: 0 };
    map.set(key, found);
  }
  return found;
}

function bump(c: Counts, isBot: boolean, isUnique: boolean): void {
  if (isBot) c.bots += 1;
  else {
    c.clicks += 1;
    if (isUnique) c.unique += 1;
  }
}

/**
 * The click batch writer for SQLite: the same rows and rollups as `writeClickBatch`, written
 * with statements prepared once and run synchronously in one transaction. On SQLite this is
 * several times faster than building a multi-row statement per batch, and the whole batch
 * commits before the function returns. Answers each click's unique flag (1 or 0), in order.
 */
export function sqliteClickBatchWriter(
  conn: SqliteDatabase.Database,
): (batch: ClickRecord[]) => Uint8Array<ArrayBuffer> {
  // One row per visitor, link and day, counting the visitor's clicks (for the click-spam check);
  // the row is new exactly when the count comes back as this batch's own.
  const visitor = conn.prepare(
    `INSERT INTO click_visitors (link_id, day, visitor_hash, clicks) VALUES (?, ?, ?, ?)
     ON CONFLICT (link_id, day, visitor_hash) DO UPDATE SET clicks = clicks + excluded.clicks RETURNING clicks`,
  );
  const clickRow = conn.prepare(insertSql('clicks', CLICK_COLUMNS, 1));
  const clickRows = conn.prepare(insertSql('clicks', CLICK_COLUMNS, ROWS_PER_INSERT));
  const hourly = conn.prepare(
    `INSERT INTO link_stats_hourly (link_id, hour, clicks, unique_clicks, bot_clicks) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (link_id, hour) DO UPDATE SET clicks = clicks + excluded.clicks,
       unique_clicks = unique_clicks + excluded.unique_clicks, bot_clicks = bot_clicks + excluded.bot_clicks`,
  );
  const daily = conn.prepare(
    `INSERT INTO link_stats_daily (link_id, day, dimension, value, clicks, unique_clicks, bot_clicks)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (link_id, day, dimension, value) DO UPDATE SET clicks = clicks + excluded.clicks,
       unique_clicks = unique_clicks + excluded.unique_clicks, bot_clicks = bot_clicks + excluded.bot_clicks`,
  );
  const writeProgram = sqliteProgramStatsWriter(conn);
  const values = new Array<unknown>(WIDTH * ROWS_PER_INSERT);

  const write = conn.transaction((batch: ClickRecord[]): Uint8Array<ArrayBuffer> => {
    const n = batch.length;
    // Each click's time as text, made once: formatting a date costs more than some of the
    // statements, and the clicks of one millisecond share one stamp.
    const stamps: Stamp[] = new Array(n);
    let lastMs = Number.NaN;
    let last: Stamp = { at: '', hour: '', day: '' };
    for (let i = 0; i < n; i++) {
      const ms = (batch[i] as ClickRecord).at.getTime();
      if (ms !== lastMs) {
        lastMs = ms;
        const at = (batch[i] as ClickRecord).at.toISOString();
        last = { at, hour: at.slice(0, 13), day: at.slice(0, 10) };
      }
      stamps[i] = last;
    }
    // A person's first click on a link within the day is unique; bots never are.
    const visits = new Map<string, { first: number; n: number }>();
    for (let i = 0; i < n; i++) {
      const c = batch[i] as ClickRecord;
      if (c.isBot) continue;
      const key = `${c.linkId}\u0000${(stamps[i] as Stamp).day}\u0000${c.visitorHash}`;
      const v = visits.get(key);
      if (v) v.n += 1;
      else visits.set(key, { first: i, n: 1 });
    }
    const unique = new Uint8Array(n);
    for (const { first, n: count } of visits.values()) {
      const c = batch[first] as ClickRecord;
      const row = visitor.get(c.linkId, (stamps[first] as Stamp).day, c.visitorHash, count) as { clicks: number };
      if (row.clicks === count) unique[first] = 1;
    }

    // The raw clicks, ROWS_PER_INSERT to a statement and the rest one by one.
    const full = n - (n % ROWS_PER_INSERT);
    for (let i = 0; i < n; i++) {
      const c = batch[i] as ClickRecord;
      const one = i >= full;
      const args = one ? new Array<unknown>(WIDTH) : values;
      let k = one ? 0 : (i % ROWS_PER_INSERT) * WIDTH;
      args[k++] = c.id;
      args[k++] = c.linkId;
      args[k++] = c.programId;
      args[k++] = c.creatorId;
      args[k++] = c.contentId;
      args[k++] = c.placement;
      args[k++] = (stamps[i] as Stamp).at;
      args[k++] = c.visitorHash;
      args[k++] = c.device;
      args[k++] = c.browser;
      args[k++] = c.os;
      args[k++] = c.country;
      args[k++] = c.referrer;
      args[k++] = c.isBot ? 1 : 0;
      args[k++] = unique[i];
      if (one) clickRow.run(args);
      else if (i % ROWS_PER_INSERT === ROWS_PER_INSERT - 1) clickRows.run(values);
    }

    // Rollup counts in nested maps (link → hour, link → day → dimension → value), so that no
    // key is built per click.
    const hours = new Map<string, Map<string, Counts>>();
    const days = new Map<string, Map<string, DayCounts>>();
    const program = new ProgramClickStats();
    for (let i = 0; i < n; i++) {
      const c = batch[i] as ClickRecord;
      const { hour, day } = stamps[i] as Stamp;
      const isUnique = unique[i] === 1;
      let linkHours = hours.get(c.linkId);
      if (!linkHours) {
        linkHours = new Map();
        hours.set(c.linkId, linkHours);
      }
      bump(counts(linkHours, hour), c.isBot, isUnique);
      let linkDays = days.get(c.linkId);
      if (!linkDays) {
        linkDays = new Map();
        days.set(c.linkId, linkDays);
      }
      let dims = linkDays.get(day);
      if (!dims) {
        dims = { country: new Map(), device: new Map(), referrer: new Map() };
        linkDays.set(day, dims);
      }
      bump(counts(dims.country, c.country), c.isBot, isUnique);
      bump(counts(dims.device, c.device), c.isBot, isUnique);
      bump(counts(dims.referrer, c.referrer), c.isBot, isUnique);
      program.add(c.programId, hour, day, c.country, c.device, c.creatorId, c.isBot, isUnique);
    }
    for (const [linkId, linkHours] of hours) {
      for (const [h, k] of linkHours) hourly.run(linkId, h, k.clicks, k.unique, k.bots);
    }
    for (const [linkId, linkDays] of days) {
      for (const [d, dims] of linkDays) {
        for (const dimension of ['country', 'device', 'referrer'] as const) {
          for (const [value, k] of dims[dimension]) daily.run(linkId, d, dimension, value, k.clicks, k.unique, k.bots);
        }
      }
    }
    writeProgram(program);
    return unique;
  });
  return (batch) => write.immediate(batch);
}
