import type { DbOrTx } from '../db/database.js';
import { sql } from '../db/kysely.js';
import { PROGRAM } from './facts.js';

/**
 * Views per program, UTC hour and creator (`view_stats_hourly`), and under creator `PROGRAM` the
 * program's totals. A video's views belong to every program whose links or codes point at it
 * (links and codes point only at their own creator's videos, so the creator is the video's).
 * Whatever changes a video's counts or the links and codes pointing at it goes through
 * `rollingViews`, which reads the video's contribution before and after the change, in the
 * change's transaction, and adds the difference. The one writer of the table.
 */

export interface ViewRow {
  programId: string;
  hour: string;
  creatorId: string;
  views: number;
}

const SEP = '\u0000';
export const viewRowKey = (r: Pick<ViewRow, 'programId' | 'hour' | 'creatorId'>) =>
  `${r.programId}${SEP}${r.hour}${SEP}${r.creatorId}`;

/** Adds rows into a map by key; `sign` -1 takes them away. */
export function accumulateViews(into: Map<string, ViewRow>, rows: ViewRow[], sign: 1 | -1 = 1): void {
  for (const r of rows) {
    const key = viewRowKey(r);
    const t = into.get(key);
    if (t) t.views += sign * r.views;
    else into.set(key, { ...r, views: sign * r.views });
  }
}

/**
 * The rows one video adds: the views each of its counts gained, by the count's UTC hour, under
 * each of its programs, for its creator and for the program's totals.
 */
export function viewRowsOf(
  programIds: readonly string[],
  creatorId: string,
  counts: readonly { at: string; gained: number }[],
): ViewRow[] {
  const rows: ViewRow[] = [];
  for (const programId of new Set(programIds)) {
    for (const c of counts) {
      const hour = new Date(c.at).toISOString().slice(0, 13);
      rows.push({ programId, hour, creatorId, views: c.gained });
      rows.push({ programId, hour, creatorId: PROGRAM, views: c.gained });
    }
  }
  return rows;
}

const CHUNK = 500;
const isSqlite = (db: DbOrTx) => db.getExecutor().adapter.constructor.name === 'SqliteAdapter';

/** What some videos add to the rollup now, added up by key. */
async function contributions(db: DbOrTx, contentIds: readonly string[]): Promise<Map<string, ViewRow>> {
  const out = new Map<string, ViewRow>();
  for (let i = 0; i < contentIds.length; i += CHUNK) {
    const ids = contentIds.slice(i, i + CHUNK);
    const [members, contents, counts] = await Promise.all([
      db
        .selectFrom('links')
        .select(['program_id', 'content_id'])
        .where('content_id', 'in', ids)
        .union(db.selectFrom('codes').select(['program_id', 'content_id']).where('content_id', 'in', ids))
        .execute(),
      db.selectFrom('contents').select(['id', 'creator_id']).where('id', 'in', ids).execute(),
      db.selectFrom('content_views').select(['content_id', 'at', 'gained']).where('content_id', 'in', ids).execute(),
    ]);
    const programsOf = new Map<string, string[]>();
    for (const m of members) {
      if (m.content_id === null) continue;
      programsOf.set(m.content_id, [...(programsOf.get(m.content_id) ?? []), m.program_id]);
    }
    const countsOf = new Map<string, { at: string; gained: number }[]>();
    for (const c of counts) {
      countsOf.set(c.content_id, [...(countsOf.get(c.content_id) ?? []), { at: c.at, gained: Number(c.gained) }]);
    }
    for (const c of contents) {
      accumulateViews(out, viewRowsOf(programsOf.get(c.id) ?? [], c.creator_id, countsOf.get(c.id) ?? []));
    }
  }
  return out;
}

/** Adds rows to the rollup in key order, adding each one's views to the row of its key where there is one. */
async function addViews(db: DbOrTx, rows: ViewRow[]): Promise<void> {
  const sorted = rows.filter((r) => r.views !== 0).sort((a, b) => (viewRowKey(a) < viewRowKey(b) ? -1 : 1));
  for (let i = 0; i < sorted.length; i += CHUNK) {
    await db
      .insertInto('view_stats_hourly')
      .values(
        sorted.slice(i, i + CHUNK).map((r) => ({
          program_id: r.programId,
          hour: r.hour,
          creator_id: r.creatorId,
          views: r.views,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['program_id', 'hour', 'creator_id']).doUpdateSet((eb) => ({
          views: eb('view_stats_hourly.views', '+', eb.ref('excluded.views')),
        })),
      )
      .execute();
  }
}

/**
 * Runs a change of videos' view counts, or of the links and codes that point at videos, and keeps
 * the views rollup exact: `contentIds` are the videos it may change. Call it in a transaction.
 */
export async function rollingViews<T>(
  db: DbOrTx,
  contentIds: readonly (string | null | undefined)[],
  change: () => Promise<T>,
): Promise<T> {
  const ids = [...new Set(contentIds.filter((c): c is string => !!c))].sort();
  if (ids.length === 0) return change();
  // On PostgreSQL two changes of one video wait for each other: each reads what the other wrote.
  if (!isSqlite(db)) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await db
        .selectFrom('contents')
        .select('id')
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .orderBy('id')
        .forUpdate()
        .execute();
    }
  }
  const before = await contributions(db, ids);
  const result = await change();
  const after = await contributions(db, ids);
  const delta = new Map<string, ViewRow>();
  accumulateViews(delta, [...after.values()]);
  accumulateViews(delta, [...before.values()], -1);
  await addViews(db, [...delta.values()]);
  return result;
}

/**
 * Views of one program from the rollup, for whole UTC hours: grouped by time (the instant of an
 * hour), by creator, or not at all; one creator's only when `creatorId` is given.
 */
export async function viewsFromRollup(
  db: DbOrTx,
  programId: string,
  from: number,
  to: number,
  creatorId: string | undefined,
  grouping: 'none' | 'time' | 'creator',
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const col = { none: sql<string>`''`, time: sql<string>`hour`, creator: sql<string>`creator_id` }[grouping];
  const hourOf = (ms: number) => new Date(ms).toISOString().slice(0, 13);
  const rows = await db
    .selectFrom('view_stats_hourly')
    .select((eb) => [col.as('g'), eb.fn.sum<number>('views').as('views')])
    .where('program_id', '=', programId)
    .where('hour', '>=', hourOf(from))
    .where('hour', '<', hourOf(to))
    .$if(creatorId !== undefined, (q) => q.where('creator_id', '=', creatorId as string))
    .$if(creatorId === undefined && grouping === 'creator', (q) => q.where('creator_id', '<>', PROGRAM))
    .$if(creatorId === undefined && grouping !== 'creator', (q) => q.where('creator_id', '=', PROGRAM))
    .$if(grouping !== 'none', (q) => q.groupBy(col))
    .execute();
  for (const r of rows) {
    if (r.g === null) continue;
    const key = grouping === 'time' ? String(Date.parse(`${r.g}:00:00Z`)) : String(r.g);
    out.set(key, Number(r.views ?? 0));
  }
  return out;
}
