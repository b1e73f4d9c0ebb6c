import type { Kysely } from 'kysely';

// Payouts: each creator's payout profile (sealed bank details, tax and invoicing details), each
// program's payout settings (methods, schedule, requirements), payout runs, the payouts of a run
// with the ledger entries each one pays, their status history, and the flags raised when two
// creators give the same account or email.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('payout_profiles')
    .addColumn('creator_id', 'text', (c) => c.primaryKey().references('creators.id').onDelete('cascade'))
    .addColumn('method', 'text', (c) => c.notNull())
    /** The method's details as JSON, sealed with the instance secret (src/shared/secrets.ts). */
    .addColumn('details_sealed', 'text', (c) => c.notNull())
    /** The same details masked for display (IBAN FI21 •••• 0785), as JSON. */
    .addColumn('details_masked', 'text', (c) => c.notNull())
    /** A keyed hash of the account or email the money goes to: equal for equal destinations. */
    .addColumn('destination_key', 'text')
    .addColumn('currency', 'text')
    .addColumn('legal_name', 'text')
    .addColumn('address', 'text')
    .addColumn('country', 'text')
    .addColumn('business_id', 'text')
    .addColumn('vat_number', 'text')
    .addColumn('vat_registered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tax_form', 'text')
    .addColumn('tax_form_received_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('payout_profiles_destination')
    .on('payout_profiles')
    .column('destination_key')
    .where('destination_key', 'is not', null)
    .execute();

  await db.schema
    .createTable('payout_settings')
    .addColumn('program_id', 'text', (c) => c.primaryKey().references('programs.id').onDelete('cascade'))
    .addColumn('allowed_methods', 'text', (c) => c.notNull())
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('schedule_day', 'integer')
    .addColumn('require_tax_form', 'integer', (c) => c.notNull())
    .addColumn('require_invoicing_details', 'integer', (c) => c.notNull())
    .addColumn('stripe_key_sealed', 'text')
    .addColumn('stripe_key_hint', 'text')
    .addColumn('last_scheduled_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('payout_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('cutoff', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('payout_count', 'bigint', (c) => c.notNull())
    .addColumn('total_amount', 'bigint', (c) => c.notNull())
    /** JSON: the creators carried forward and blocked, with their reasons. */
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payout_runs_program').on('payout_runs').columns(['program_id', 'id']).execute();

  await db.schema
    .createTable('payouts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('payout_runs.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('program_id', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('entry_count', 'bigint', (c) => c.notNull())
    /** Where the money goes, masked for display, and the details as sealed in the profile then. */
    .addColumn('destination', 'text')
    .addColumn('details_sealed', 'text')
    .addColumn('failure_code', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('reference', 'text')
    .addColumn('transfer_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('paid_at', 'text')
    .addColumn('failed_at', 'text')
    .execute();
  await db.schema.createIndex('payouts_run').on('payouts').columns(['run_id', 'creator_id']).execute();
  await db.schema.createIndex('payouts_creator').on('payouts').columns(['creator_id', 'id']).execute();
  await db.schema.createIndex('payouts_workspace').on('payouts').columns(['workspace_id', 'id']).execute();

  await db.schema
    .createTable('payout_items')
    .addColumn('payout_id', 'text', (c) => c.notNull().references('payouts.id').onDelete('cascade'))
    .addColumn('commission_id', 'text', (c) => c.notNull())
    /** What the entry adds to the payout: its amount with the reversals that net it. */
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('payout_items_pk', ['payout_id', 'commission_id'])
    .execute();
  await db.schema.createIndex('payout_items_commission').on('payout_items').column('commission_id').execute();

  await db.schema
    .createTable('payout_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payout_id', 'text', (c) => c.notNull().references('payouts.id').onDelete('cascade'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payout_events_payout').on('payout_events').columns(['payout_id', 'id']).execute();

  await db.schema
    .createTable('payout_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('creator_id', 'text', (c) => c.notNull().references('creators.id').onDelete('cascade'))
    .addColumn('other_creator_id', 'text', (c) => c.notNull().references('creators.id').onDelete('cascade'))
    .addColumn('destination_kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolution_note', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute();
  await db.schema.createIndex('payout_flags_creator').on('payout_flags').columns(['creator_id', 'status']).execute();

  // The entries a run may pay (approved, in no payout yet) and the entries of one payout.
  await db.schema
    .createIndex('commissions_payable')
    .on('commissions')
    .columns(['program_id', 'status', 'creator_id'])
    .execute();
  await db.schema
    .createIndex('commissions_payout')
    .on('commissions')
    .column('payout_id')
    .where('payout_id', 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('commissions_payout').execute();
  await db.schema.dropIndex('commissions_payable').execute();
  for (const table of [
    'payout_flags',
    'payout_events',
    'payout_items',
    'payouts',
    'payout_runs',
    'payout_settings',
    'payout_profiles',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
