import type { Kysely } from 'kysely';

// Link-in-bio pages: one page per creator under a unique handle, its ordered links, the copies
// of coupon codes made on it (a daily count per code), and what the destination watch last saw
// of each link's destination.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('bio_pages')
    .addColumn('creator_id', 'text', (c) => c.primaryKey().references('creators.id').onDelete('cascade'))
    .addColumn('handle', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('bio', 'text')
    .addColumn('avatar_url', 'text')
    .addColumn('theme', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bio_pages_handle').unique().on('bio_pages').column('handle').execute();

  await db.schema
    .createTable('bio_links')
    .addColumn('creator_id', 'text', (c) => c.notNull().references('bio_pages.creator_id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('link_id', 'text', (c) => c.notNull().references('links.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('bio_links_pk', ['creator_id', 'position'])
    .execute();

  await db.schema
    .createTable('bio_code_copies')
    .addColumn('code_id', 'text', (c) => c.notNull().references('codes.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('copies', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('bio_code_copies_pk', ['code_id', 'day'])
    .execute();

  await db.schema
    .createTable('link_checks')
    .addColumn('link_id', 'text', (c) => c.primaryKey().references('links.id').onDelete('cascade'))
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('broken', 'integer', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('link_checks').ifExists().execute();
  await db.schema.dropTable('bio_code_copies').ifExists().execute();
  await db.schema.dropTable('bio_links').ifExists().execute();
  await db.schema.dropTable('bio_pages').ifExists().execute();
}
