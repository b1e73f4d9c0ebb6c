import { type Kysely, sql } from 'kysely';

// Test orders (Shopify's `test: true`, Stripe's test-mode events) never earn. Each integration
// says whether they are recorded apart, to be seen as tests, or only logged as ignored; the
// orders recorded apart are kept in a table of their own, out of the ledger and the sales
// figures by construction. Existing integrations record them apart, like new ones.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('integrations')
    .addColumn('test_orders', 'text', (c) => c.notNull().defaultTo(sql`'record'`))
    .execute();
  await db.schema
    .createTable('test_orders')
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('gross_amount', 'bigint')
    .addColumn('line_count', 'integer', (c) => c.notNull())
    .addColumn('click_id', 'text')
    .addColumn('coupon_codes', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('last_topic', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('test_orders_pk', ['program_id', 'platform', 'order_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('test_orders').ifExists().execute();
  await db.schema.alterTable('integrations').dropColumn('test_orders').execute();
}
