import type { Kysely } from 'kysely';

// Network mode: what the operator charges each brand workspace (a setup fee, a fee in basis
// points of each attributed sale, optionally a monthly fee), and every fee accrued or reversed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('network_fee_plans')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('setup_fee_amount', 'bigint', (c) => c.notNull())
    .addColumn('sale_fee_bps', 'integer', (c) => c.notNull())
    .addColumn('monthly_fee_amount', 'bigint')
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('network_fees')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('program_id', 'text')
    .addColumn('conversion_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    // What makes the fee once: setup:<ws>, monthly:<ws>:<yyyy-mm>, sale:<cnv>, reversal:<cnv>:<refunded total>.
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('period', 'text')
    .addColumn('base_amount', 'bigint', (c) => c.notNull())
    .addColumn('fee_bps', 'integer')
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('network_fees_workspace').on('network_fees').columns(['workspace_id', 'at']).execute();
  await db.schema.createIndex('network_fees_conversion').on('network_fees').columns(['conversion_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('network_fees').ifExists().execute();
  await db.schema.dropTable('network_fee_plans').ifExists().execute();
}
