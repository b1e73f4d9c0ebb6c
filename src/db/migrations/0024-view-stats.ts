import type { Kysely } from 'kysely';
import { sql } from '../kysely.js';

// Views per program, UTC hour and creator (creator '' for the program's totals), so that a
// program's series reads one row per hour with views instead of every count of every video. A
// video's views belong to each program whose links or codes point at it. Filled here from the
// counts already recorded.
export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter.constructor.name === 'SqliteAdapter';
  await db.schema
    .createTable('view_stats_hourly')
    .addColumn('program_id', 'text', (c) => c.notNull())
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('views', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('view_stats_hourly_pk', ['program_id', 'hour', 'creator_id'])
    .modifyEnd(sqlite ? sql`without rowid` : sql``)
    .execute();
  await sql`
    insert into view_stats_hourly (program_id, hour, creator_id, views)
    select m.program_id, substr(v.at, 1, 13), c.creator_id, sum(v.gained)
    from (
      select program_id, content_id from links where content_id is not null
      union
      select program_id, content_id from codes where content_id is not null
    ) m
    join content_views v on v.content_id = m.content_id
    join contents c on c.id = m.content_id
    group by m.program_id, substr(v.at, 1, 13), c.creator_id`.execute(db);
  await sql`
    insert into view_stats_hourly (program_id, hour, creator_id, views)
    select program_id, hour, '', sum(views) from view_stats_hourly group by program_id, hour`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('view_stats_hourly').execute();
}
