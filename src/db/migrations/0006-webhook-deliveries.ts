import type { Kysely } from 'kysely';

// Every webhook a shop platform sends, verified or refused, and what it produced.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('topic', 'text')
    .addColumn('delivery_id', 'text')
    .addColumn('test', 'integer', (c) => c.notNull())
    .addColumn('verified', 'integer', (c) => c.notNull())
    .addColumn('refusal', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('conversion_id', 'text')
    .addColumn('summary', 'text')
    .addColumn('error_code', 'text')
    .addColumn('body_bytes', 'integer', (c) => c.notNull())
    .addColumn('body_sha256', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_program')
    .on('webhook_deliveries')
    .columns(['program_id', 'platform', 'id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_delivery')
    .on('webhook_deliveries')
    .columns(['program_id', 'platform', 'delivery_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').ifExists().execute();
}
