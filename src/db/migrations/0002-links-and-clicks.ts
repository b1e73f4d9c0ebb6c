import type { Kysely } from 'kysely';
import { sql } from '../kysely.js';

/**
 * On SQLite, the tables written on every click keep their rows in their primary key's B-tree
 * (WITHOUT ROWID): one tree to update per row instead of a table and an index.
 */
function clustered(db: Kysely<unknown>) {
  const sqlite = db.getExecutor().adapter.constructor.name === 'SqliteAdapter';
  return sqlite ? sql`without rowid` : sql``;
}

// Enrollments, creators' content, tracked links, raw clicks and the rollups that statistics read.
export async function up(db: Kysely<unknown>): Promise<void> {
  // UTM parameters a program's links carry unless a link says otherwise.
  await db.schema.alterTable('programs').addColumn('utm_defaults', 'text').execute();

  await db.schema
    .createTable('enrollments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('creator_id', 'text', (c) => c.notNull().references('creators.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rate_type', 'text')
    .addColumn('rate_value', 'bigint')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('enrollments_program_creator', ['program_id', 'creator_id'])
    .execute();
  await db.schema.createIndex('enrollments_creator').on('enrollments').columns(['creator_id', 'id']).execute();
  await db.schema.createIndex('enrollments_workspace').on('enrollments').columns(['workspace_id', 'id']).execute();

  await db.schema
    .createTable('enrollment_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enrollment_id', 'text', (c) => c.notNull().references('enrollments.id').onDelete('cascade'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('enrollment_events_enrollment').on('enrollment_events').column('enrollment_id').execute();

  await db.schema
    .createTable('contents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('creator_id', 'text', (c) => c.notNull().references('creators.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('posted_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contents_creator').on('contents').columns(['creator_id', 'id']).execute();

  await db.schema
    .createTable('links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('creator_id', 'text', (c) => c.notNull().references('creators.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('destination_url', 'text', (c) => c.notNull())
    .addColumn('content_id', 'text', (c) => c.references('contents.id').onDelete('set null'))
    .addColumn('placement', 'text', (c) => c.notNull())
    .addColumn('utm', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('links_workspace').on('links').columns(['workspace_id', 'id']).execute();
  await db.schema.createIndex('links_creator').on('links').columns(['creator_id', 'id']).execute();

  await db.schema
    .createTable('link_destinations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('link_id', 'text', (c) => c.notNull().references('links.id').onDelete('cascade'))
    .addColumn('destination_url', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('link_destinations_link').on('link_destinations').columns(['link_id', 'id']).execute();

  // Raw clicks: narrow and append-only. No raw IP is ever stored.
  await db.schema
    .createTable('clicks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('link_id', 'text', (c) => c.notNull())
    .addColumn('program_id', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('content_id', 'text')
    .addColumn('placement', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('visitor_hash', 'text', (c) => c.notNull())
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('browser', 'text', (c) => c.notNull())
    .addColumn('os', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('referrer', 'text', (c) => c.notNull())
    .addColumn('is_bot', 'integer', (c) => c.notNull())
    .addColumn('is_unique', 'integer', (c) => c.notNull())
    .modifyEnd(clustered(db))
    .execute();
  // No secondary index: ids are time-ordered, statistics read the rollups, and every index
  // would be one more tree to update in the redirect's path.

  // The first click of a visitor on a link within one salt day; rows older than a day are pruned.
  await db.schema
    .createTable('click_visitors')
    .addColumn('link_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('visitor_hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('click_visitors_pk', ['link_id', 'day', 'visitor_hash'])
    .modifyEnd(clustered(db))
    .execute();

  await db.schema
    .createTable('visitor_salts')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('salt', 'text', (c) => c.notNull())
    .execute();

  // Additive rollups, written in the same transaction as the clicks they count.
  await db.schema
    .createTable('link_stats_hourly')
    .addColumn('link_id', 'text', (c) => c.notNull())
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('clicks', 'bigint', (c) => c.notNull())
    .addColumn('unique_clicks', 'bigint', (c) => c.notNull())
    .addColumn('bot_clicks', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('link_stats_hourly_pk', ['link_id', 'hour'])
    .modifyEnd(clustered(db))
    .execute();

  await db.schema
    .createTable('link_stats_daily')
    .addColumn('link_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('clicks', 'bigint', (c) => c.notNull())
    .addColumn('unique_clicks', 'bigint', (c) => c.notNull())
    .addColumn('bot_clicks', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('link_stats_daily_pk', ['link_id', 'day', 'dimension', 'value'])
    .modifyEnd(clustered(db))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'link_stats_daily',
    'link_stats_hourly',
    'visitor_salts',
    'click_visitors',
    'clicks',
    'link_destinations',
    'links',
    'contents',
    'enrollment_events',
    'enrollments',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
