import type { Kysely } from 'kysely';

// Creators' coupon codes: unique per program whatever their case, and never given out twice, so
// a code that leaked and was replaced can never attribute a sale to someone else.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('creator_id', 'text', (c) => c.notNull().references('creators.id').onDelete('cascade'))
    .addColumn('content_id', 'text', (c) => c.references('contents.id').onDelete('set null'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('code_key', 'text', (c) => c.notNull())
    .addColumn('discount', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('active_from', 'text', (c) => c.notNull())
    .addColumn('active_until', 'text')
    .addColumn('replaced_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('codes_program_key').unique().on('codes').columns(['program_id', 'code_key']).execute();
  await db.schema.createIndex('codes_workspace').on('codes').columns(['workspace_id', 'id']).execute();
  await db.schema.createIndex('codes_creator').on('codes').columns(['creator_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('codes').ifExists().execute();
}
