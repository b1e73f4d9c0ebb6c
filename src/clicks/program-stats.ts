import type SqliteDatabase from 'better-sqlite3';
import type { DbOrTx } from '../db/database.js';

/**
 * The program-level click rollups (`click_stats_hourly`, `click_stats_daily`), which a program's
 * dashboard reads instead of every link's rows. A batch's clicks are first added up in memory,
 * then written with one upsert per key, in the batch's transaction, beside the per-link rollups.
 */

interface Counts {
  clicks: number;
  unique: number;
  bots: number;
}

/** The dimensions of the daily program rollup. */
export const programDayDimensions = ['country', 'device', 'creator'] as const;
export type ProgramDayDimension = (typeof programDayDimensions)[number];

interface DayCounts {
  country: Map<string, Counts>;
  device: Map<string, Counts>;
  creator: Map<string, Counts>;
}

function counts(map: Map<string, Counts>, key: string): Counts {
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

/** One row of either table, as written. */
export interface ProgramStatsRow {
  programId: string;
  /** `hour` for the hourly table; otherwise the daily table's dimension. */
  dimension: 'hour' | ProgramDayDimension;
  /** The hour (`YYYY-MM-DDTHH`) or the day (`YYYY-MM-DD`). */
  period: string;
  /** The dimension's value; '' for the hourly table. */
  value: string;
  clicks: number;
  unique: number;
  bots: number;
}

/** A batch's clicks added up per program, hour, day and value, in nested maps (no key built per click). */
export class ProgramClickStats {
  private readonly hours = new Map<string, Map<string, Counts>>();
  private readonly days = new Map<string, Map<string, DayCounts>>();

  add(
    programId: string,
    hour: string,
    day: string,
    country: string,
    device: string,
    creatorId: string,
    isBot: boolean,
    isUnique: boolean,
  ): void {
    let programHours = this.hours.get(programId);
    if (!programHours) {
      programHours = new Map();
      this.hours.set(programId, programHours);
    }
    bump(counts(programHours, hour), isBot, isUnique);
    let programDays = this.days.get(programId);
    if (!programDays) {
      programDays = new Map();
      this.days.set(programId, programDays);
    }
    let dims = programDays.get(day);
    if (!dims) {
      dims = { country: new Map(), device: new Map(), creator: new Map() };
      programDays.set(day, dims);
    }
    bump(counts(dims.country, country), isBot, isUnique);
    bump(counts(dims.device, device), isBot, isUnique);
    bump(counts(dims.creator, creatorId), isBot, isUnique);
  }

  /** The rows to add, in key order (concurrent writers on PostgreSQL then lock rows in one order). */
  rows(): ProgramStatsRow[] {
    const out: ProgramStatsRow[] = [];
    for (const [programId, programHours] of this.hours) {
      for (const [period, c] of programHours) out.push({ programId, dimension: 'hour', period, value: '', ...c });
    }
    for (const [programId, programDays] of this.days) {
      for (const [period, dims] of programDays) {
        for (const dimension of programDayDimensions) {
          for (const [value, c] of dims[dimension]) out.push({ programId, dimension, period, value, ...c });
        }
      }
    }
    const key = (r: ProgramStatsRow) => `${r.programId}\u0000${r.dimension}\u0000${r.period}\u0000${r.value}`;
    return out.sort((a, b) => (key(a) < key(b) ? -1 : 1));
  }
}

const HOURLY_SQL = `INSERT INTO click_stats_hourly (program_id, hour, clicks, unique_clicks, bot_clicks) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (program_id, hour) DO UPDATE SET clicks = clicks + excluded.clicks,
    unique_clicks = unique_clicks + excluded.unique_clicks, bot_clicks = bot_clicks + excluded.bot_clicks`;
const DAILY_SQL = `INSERT INTO click_stats_daily (program_id, dimension, day, value, clicks, unique_clicks, bot_clicks)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (program_id, dimension, day, value) DO UPDATE SET clicks = clicks + excluded.clicks,
    unique_clicks = unique_clicks + excluded.unique_clicks, bot_clicks = bot_clicks + excluded.bot_clicks`;

/** On SQLite: writes a batch's program rollups with statements prepared once; run inside the batch's transaction. */
export function sqliteProgramStatsWriter(conn: SqliteDatabase.Database): (stats: ProgramClickStats) => void {
  const hourly = conn.prepare(HOURLY_SQL);
  const daily = conn.prepare(DAILY_SQL);
  return (stats) => {
    for (const r of stats.rows()) {
      if (r.dimension === 'hour') hourly.run(r.programId, r.period, r.clicks, r.unique, r.bots);
      else daily.run(r.programId, r.dimension, r.period, r.value, r.clicks, r.unique, r.bots);
    }
  };
}

/** Writes a batch's program rollups through Kysely (PostgreSQL), a few statements per batch. */
export async function writeProgramStats(tx: DbOrTx, stats: ProgramClickStats): Promise<void> {
  const rows = stats.rows();
  const hourly = rows.filter((r) => r.dimension === 'hour');
  const daily = rows.filter((r) => r.dimension !== 'hour');
  for (let i = 0; i < hourly.length; i += 500) {
    await tx
      .insertInto('click_stats_hourly')
      .values(
        hourly.slice(i, i + 500).map((r) => ({
          program_id: r.programId,
          hour: r.period,
          clicks: r.clicks,
          unique_clicks: r.unique,
          bot_clicks: r.bots,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['program_id', 'hour']).doUpdateSet((eb) => ({
          clicks: eb('click_stats_hourly.clicks', '+', eb.ref('excluded.clicks')),
          unique_clicks: eb('click_stats_hourly.unique_clicks', '+', eb.ref('excluded.unique_clicks')),
          bot_clicks: eb('click_stats_hourly.bot_clicks', '+', eb.ref('excluded.bot_clicks')),
        })),
      )
      .execute();
  }
  for (let i = 0; i < daily.length; i += 500) {
    await tx
      .insertInto('click_stats_daily')
      .values(
        daily.slice(i, i + 500).map((r) => ({
          program_id: r.programId,
          dimension: r.dimension as ProgramDayDimension,
          day: r.period,
          value: r.value,
          clicks: r.clicks,
          unique_clicks: r.unique,
          bot_clicks: r.bots,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['program_id', 'dimension', 'day', 'value']).doUpdateSet((eb) => ({
          clicks: eb('click_stats_daily.clicks', '+', eb.ref('excluded.clicks')),
          unique_clicks: eb('click_stats_daily.unique_clicks', '+', eb.ref('excluded.unique_clicks')),
          bot_clicks: eb('click_stats_daily.bot_clicks', '+', eb.ref('excluded.bot_clicks')),
        })),
      )
      .execute();
  }
}
