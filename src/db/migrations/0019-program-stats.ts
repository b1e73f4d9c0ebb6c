import type { Kysely } from 'kysely';
import { sql } from '../kysely.js';

function clustered(db: Kysely<unknown>) {
  const sqlite = db.getExecutor().adapter.constructor.name === 'SqliteAdapter';
  return sqlite ? sql`without rowid` : sql``;
}

// Program-level rollups, so that a program's dashboard reads as many rows as it has buckets, not
// as many as it has links: clicks per program and hour, clicks per program, day and country,
// device or creator (written by the click writer beside the per-link rollups), and the sales
// rollup's program totals (rows of creator '' under dimensions all, country and device, written
// with the creators' rows). Each is filled here from the rollups that already hold its numbers.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('click_stats_hourly')
    .addColumn('program_id', 'text', (c) => c.notNull())
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('clicks', 'bigint', (c) => c.notNull())
    .addColumn('unique_clicks', 'bigint', (c) => c.notNull())
    .addColumn('bot_clicks', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('click_stats_hourly_pk', ['program_id', 'hour'])
    .modifyEnd(clustered(db))
    .execute();
  await db.schema
    .createTable('click_stats_daily')
    .addColumn('program_id', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('clicks', 'bigint', (c) => c.notNull())
    .addColumn('unique_clicks', 'bigint', (c) => c.notNull())
    .addColumn('bot_clicks', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('click_stats_daily_pk', ['program_id', 'dimension', 'day', 'value'])
    .modifyEnd(clustered(db))
    .execute();

  await sql`
    insert into click_stats_hourly (program_id, hour, clicks, unique_clicks, bot_clicks)
    select l.program_id, h.hour, sum(h.clicks), sum(h.unique_clicks), sum(h.bot_clicks)
    from link_stats_hourly h join links l on l.id = h.link_id
    group by l.program_id, h.hour`.execute(db);
  await sql`
    insert into click_stats_daily (program_id, dimension, day, value, clicks, unique_clicks, bot_clicks)
    select l.program_id, d.dimension, d.day, d.value, sum(d.clicks), sum(d.unique_clicks), sum(d.bot_clicks)
    from link_stats_daily d join links l on l.id = d.link_id
    where d.dimension in ('country', 'device')
    group by l.program_id, d.dimension, d.day, d.value`.execute(db);
  // Every click is under exactly one device value: a link's day summed over them is its total.
  await sql`
    insert into click_stats_daily (program_id, dimension, day, value, clicks, unique_clicks, bot_clicks)
    select l.program_id, 'creator', d.day, l.creator_id, sum(d.clicks), sum(d.unique_clicks), sum(d.bot_clicks)
    from link_stats_daily d join links l on l.id = d.link_id
    where d.dimension = 'device'
    group by l.program_id, d.day, l.creator_id`.execute(db);
  await sql`
    insert into conversion_stats_hourly
      (program_id, dimension, hour, value, creator_id, leads, sales, gmv, refunds, commissions)
    select program_id, dimension, hour, value, '', sum(leads), sum(sales), sum(gmv), sum(refunds), sum(commissions)
    from conversion_stats_hourly
    where dimension in ('all', 'country', 'device') and creator_id <> ''
    group by program_id, dimension, hour, value`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from conversion_stats_hourly where creator_id = ''`.execute(db);
  await db.schema.dropTable('click_stats_daily').execute();
  await db.schema.dropTable('click_stats_hourly').execute();
}
