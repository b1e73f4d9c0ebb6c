import type { Kysely } from 'kysely';

// Credit notes: when a payout fails, the brand cancels its self-billing invoice with a credit note
// of its own, numbered in the same unbroken series per creator and brand as the invoices (the
// series' row in invoice_sequences gives both their numbers), for the invoice's amounts negated.
// One per invoice; the parties and the VAT treatment are the invoice's.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('credit_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invoice_id', 'text', (c) => c.notNull().unique().references('invoices.id').onDelete('cascade'))
    .addColumn('payout_id', 'text', (c) => c.notNull().unique())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('number', 'bigint', (c) => c.notNull())
    /** Why the invoice is cancelled: the payout's failure, as the creator was told it. */
    .addColumn('reason', 'text', (c) => c.notNull())
    /** The invoice's amounts negated. */
    .addColumn('net_amount', 'bigint', (c) => c.notNull())
    .addColumn('vat_amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('credit_notes_number', ['workspace_id', 'creator_id', 'number'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('credit_notes').ifExists().execute();
}
