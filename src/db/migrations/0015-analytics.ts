import type { Kysely } from 'kysely';
import { sql } from '../kysely.js';

function clustered(db: Kysely<unknown>) {
  const sqlite = db.getExecutor().adapter.constructor.name === 'SqliteAdapter';
  return sqlite ? sql`without rowid` : sql``;
}

// Analytics: the view counts of creators' videos over time, the additive rollups of attributed
// sales, refunds and commissions per hour and dimension, and each program's own time zone, in
// which analytics cut days and weeks.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('programs')
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .execute();

  // A video's view count as its platform showed it at a time (a running total, not an increment).
  await db.schema
    .createTable('content_views')
    .addColumn('content_id', 'text', (c) => c.notNull().references('contents.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('views', 'bigint', (c) => c.notNull())
    // What the count adds to the one before it (all of it for the first): views in a period are the sum.
    .addColumn('gained', 'bigint', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('content_views_pk', ['content_id', 'at'])
    .modifyEnd(clustered(db))
    .execute();

  await db.schema.createIndex('content_views_at').on('content_views').columns(['at', 'content_id']).execute();

  // One row per program, hour (UTC, `YYYY-MM-DDTHH`), creator and value of one dimension;
  // dimension `all` (value '') holds the creator's totals. Each attributed conversion adds to
  // the hour it occurred in, its refunds and reversals too (numbers follow the sale's date).
  await db.schema
    .createTable('conversion_stats_hourly')
    .addColumn('program_id', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('leads', 'bigint', (c) => c.notNull())
    .addColumn('sales', 'bigint', (c) => c.notNull())
    .addColumn('gmv', 'bigint', (c) => c.notNull())
    .addColumn('refunds', 'bigint', (c) => c.notNull())
    .addColumn('commissions', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversion_stats_hourly_pk', ['program_id', 'dimension', 'hour', 'value', 'creator_id'])
    .modifyEnd(clustered(db))
    .execute();
  await db.schema
    .createIndex('conversion_stats_hourly_creator')
    .on('conversion_stats_hourly')
    .columns(['creator_id', 'dimension', 'hour'])
    .execute();
  // Analytics read the hourly click rollups of a program's links by hour.
  await db.schema.createIndex('link_stats_hourly_hour').on('link_stats_hourly').columns(['hour', 'link_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('link_stats_hourly_hour').execute();
  await db.schema.dropTable('conversion_stats_hourly').execute();
  await db.schema.dropIndex('content_views_at').execute();
  await db.schema.dropTable('content_views').execute();
  await db.schema.alterTable('programs').dropColumn('timezone').execute();
}
