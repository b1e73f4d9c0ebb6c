import type { Kysely } from 'kysely';

// Self-billing invoices: the brand's invoicing details (its address and VAT number, to which a
// creator's invoice is addressed), the creator's VAT rate, the creator's consent to self-billing
// (given once), a program's choice to pay only with an invoice, the invoice number sequence of
// each creator and brand, and each payout's invoice with both parties' details as they were when
// it was issued.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').addColumn('billing_legal_name', 'text').execute();
  /** JSON: {line1, line2?, postalCode, city, region?, country}. */
  await db.schema.alterTable('workspaces').addColumn('billing_address', 'text').execute();
  await db.schema.alterTable('workspaces').addColumn('billing_business_id', 'text').execute();
  await db.schema.alterTable('workspaces').addColumn('billing_vat_number', 'text').execute();

  await db.schema.alterTable('payout_profiles').addColumn('vat_rate_bps', 'integer').execute();
  await db.schema
    .alterTable('payout_settings')
    .addColumn('require_self_billing', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('self_billing_consents')
    .addColumn('creator_id', 'text', (c) => c.primaryKey().references('creators.id').onDelete('cascade'))
    /** Which wording of the agreement the creator accepted. */
    .addColumn('agreement', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('given_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('invoice_sequences')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('creator_id', 'text', (c) => c.notNull().references('creators.id').onDelete('cascade'))
    /** The last number issued: the next invoice is this plus one. */
    .addColumn('last_number', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('invoice_sequences_pk', ['workspace_id', 'creator_id'])
    .execute();

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payout_id', 'text', (c) => c.notNull().unique().references('payouts.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('number', 'bigint', (c) => c.notNull())
    /** JSON: the creator's (seller's) details when the invoice was issued. */
    .addColumn('seller', 'text', (c) => c.notNull())
    /** JSON: the brand's (buyer's) details when the invoice was issued. */
    .addColumn('buyer', 'text', (c) => c.notNull())
    .addColumn('vat_treatment', 'text', (c) => c.notNull())
    .addColumn('vat_rate_bps', 'integer', (c) => c.notNull())
    .addColumn('net_amount', 'bigint', (c) => c.notNull())
    .addColumn('vat_amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('invoices_number', ['workspace_id', 'creator_id', 'number'])
    .execute();
  await db.schema.createIndex('invoices_creator').on('invoices').columns(['creator_id', 'id']).execute();
  await db.schema.createIndex('invoices_workspace').on('invoices').columns(['workspace_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['invoices', 'invoice_sequences', 'self_billing_consents']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.alterTable('payout_settings').dropColumn('require_self_billing').execute();
  await db.schema.alterTable('payout_profiles').dropColumn('vat_rate_bps').execute();
  for (const column of ['billing_vat_number', 'billing_business_id', 'billing_address', 'billing_legal_name']) {
    await db.schema.alterTable('workspaces').dropColumn(column).execute();
  }
}
