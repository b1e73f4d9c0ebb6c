import type { Kysely } from 'kysely';

// Fraud checks: each visitor's clicks per link and day, a program's fraud settings, every use of
// a coupon code with a daily rollup per code (its baseline), and the alerts of possibly leaked codes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('click_visitors')
    .addColumn('clicks', 'bigint', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('fraud_settings')
    .addColumn('program_id', 'text', (c) => c.primaryKey().references('programs.id').onDelete('cascade'))
    .addColumn('click_spam_threshold', 'integer', (c) => c.notNull())
    .addColumn('coupon_site_domains', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('code_uses')
    .addColumn('conversion_id', 'text', (c) => c.primaryKey().references('conversions.id').onDelete('cascade'))
    .addColumn('code_id', 'text', (c) => c.notNull().references('codes.id').onDelete('cascade'))
    .addColumn('program_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('with_click', 'integer', (c) => c.notNull())
    .addColumn('referrer_host', 'text')
    .addColumn('country', 'text')
    .addColumn('new_customer', 'integer', (c) => c.notNull())
    .addColumn('coupon_site', 'integer', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('code_uses_code').on('code_uses').columns(['code_id', 'at']).execute();

  await db.schema
    .createTable('code_use_days')
    .addColumn('code_id', 'text', (c) => c.notNull().references('codes.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('uses', 'bigint', (c) => c.notNull())
    .addColumn('no_click_uses', 'bigint', (c) => c.notNull())
    .addColumn('new_customer_uses', 'bigint', (c) => c.notNull())
    .addColumn('coupon_site_uses', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('code_use_days_pk', ['code_id', 'day'])
    .execute();

  await db.schema
    .createTable('code_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('code_id', 'text', (c) => c.notNull().references('codes.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolution', 'text')
    .addColumn('note', 'text')
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .execute();
  await db.schema.createIndex('code_alerts_code').on('code_alerts').columns(['code_id', 'status']).execute();
  await db.schema.createIndex('code_alerts_program').on('code_alerts').columns(['program_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['code_alerts', 'code_use_days', 'code_uses', 'fraud_settings']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.alterTable('click_visitors').dropColumn('clicks').execute();
}
