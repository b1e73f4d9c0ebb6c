import type { Kysely } from 'kysely';

// Sales, leads and refunds; the customers a program knows; the commission ledger and its history;
// the operator's exchange rates; the history of rate changes that decides when a cut applies.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Performance tiers ([{thresholdAmount, rate}] as JSON) and a reward per lead (minor units).
  await db.schema.alterTable('programs').addColumn('commission_tiers', 'text').execute();
  await db.schema.alterTable('programs').addColumn('lead_reward_amount', 'bigint').execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('external_id', 'text')
    .addColumn('email_hash', 'text')
    .addColumn('creator_id', 'text', (c) => c.references('creators.id').onDelete('set null'))
    .addColumn('won_at', 'text')
    .addColumn('first_conversion_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('customers_program_external')
    .unique()
    .on('customers')
    .columns(['program_id', 'external_id'])
    .execute();
  await db.schema
    .createIndex('customers_program_email')
    .on('customers')
    .columns(['program_id', 'email_hash'])
    .execute();

  await db.schema
    .createTable('conversions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('original_currency', 'text', (c) => c.notNull())
    .addColumn('original_amount', 'bigint', (c) => c.notNull())
    .addColumn('exchange_rate', 'text')
    .addColumn('click_id', 'text')
    .addColumn('code_id', 'text')
    .addColumn('code', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('subscription_id', 'text')
    .addColumn('referrer', 'text')
    .addColumn('creator_id', 'text')
    .addColumn('attribution', 'text')
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('conversions_program_kind_external', ['program_id', 'kind', 'external_id'])
    .execute();
  await db.schema.createIndex('conversions_workspace').on('conversions').columns(['workspace_id', 'id']).execute();
  await db.schema
    .createIndex('conversions_creator_month')
    .on('conversions')
    .columns(['program_id', 'creator_id', 'occurred_at'])
    .execute();
  await db.schema
    .createIndex('conversions_subscription')
    .on('conversions')
    .columns(['program_id', 'subscription_id'])
    .execute();

  await db.schema
    .createTable('conversion_lines')
    .addColumn('conversion_id', 'text', (c) => c.notNull().references('conversions.id').onDelete('cascade'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('line_id', 'text')
    .addColumn('product_id', 'text')
    .addColumn('external_product_id', 'text')
    .addColumn('name', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('discount_amount', 'bigint')
    .addColumn('refunded_amount', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversion_lines_pk', ['conversion_id', 'line_no'])
    .execute();

  await db.schema
    .createTable('order_aliases')
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('conversion_id', 'text', (c) => c.notNull().references('conversions.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('order_aliases_pk', ['program_id', 'alias'])
    .execute();

  await db.schema
    .createTable('refunds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('conversion_id', 'text')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('refunds_program_external', ['program_id', 'external_id'])
    .execute();
  await db.schema.createIndex('refunds_waiting').on('refunds').columns(['program_id', 'order_id', 'status']).execute();

  await db.schema
    .createTable('commissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('creator_id', 'text', (c) => c.notNull().references('creators.id').onDelete('cascade'))
    .addColumn('conversion_id', 'text', (c) => c.notNull().references('conversions.id').onDelete('cascade'))
    .addColumn('refund_id', 'text')
    .addColumn('reverses_id', 'text')
    .addColumn('line_no', 'integer')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('base_amount', 'bigint', (c) => c.notNull())
    .addColumn('rate', 'text')
    .addColumn('rate_source', 'text')
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('hold_reason', 'text')
    .addColumn('hold_detail', 'text')
    .addColumn('status_reason', 'text')
    .addColumn('approve_after', 'text', (c) => c.notNull())
    .addColumn('payout_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('commissions_workspace').on('commissions').columns(['workspace_id', 'id']).execute();
  await db.schema.createIndex('commissions_creator').on('commissions').columns(['creator_id', 'program_id']).execute();
  await db.schema.createIndex('commissions_conversion').on('commissions').columns(['conversion_id']).execute();
  await db.schema.createIndex('commissions_reverses').on('commissions').columns(['reverses_id']).execute();
  await db.schema.createIndex('commissions_due').on('commissions').columns(['status', 'approve_after']).execute();

  await db.schema
    .createTable('commission_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('commission_id', 'text', (c) => c.notNull().references('commissions.id').onDelete('cascade'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('commission_events_commission').on('commission_events').column('commission_id').execute();

  await db.schema
    .createTable('exchange_rates')
    .addColumn('from_currency', 'text', (c) => c.notNull())
    .addColumn('to_currency', 'text', (c) => c.notNull())
    .addColumn('rate', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('exchange_rates_pk', ['from_currency', 'to_currency'])
    .execute();

  // A program's default rate or a creator's own rate, before and after each change.
  await db.schema
    .createTable('rate_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('enrollment_id', 'text')
    .addColumn('old_rate', 'text')
    .addColumn('new_rate', 'text')
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rate_changes_program')
    .on('rate_changes')
    .columns(['program_id', 'changed_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'rate_changes',
    'exchange_rates',
    'commission_events',
    'commissions',
    'refunds',
    'order_aliases',
    'conversion_lines',
    'conversions',
    'customers',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.alterTable('programs').dropColumn('lead_reward_amount').execute();
  await db.schema.alterTable('programs').dropColumn('commission_tiers').execute();
}
