import type { Kysely } from 'kysely';

// What Stripe has said about each payment's refunds (refund events by id, and the charge's
// cumulative amount_refunded), and which payment paid which invoice (basil invoices do not say).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stripe_refunds_seen')
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('payment_key', 'text', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('recorded', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stripe_refunds_seen_pk', ['program_id', 'payment_key', 'ref'])
    .execute();
  await db.schema
    .createTable('stripe_invoice_payments')
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('payment_ref', 'text', (c) => c.notNull())
    .addColumn('invoice_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stripe_invoice_payments_pk', ['program_id', 'payment_ref'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stripe_invoice_payments').ifExists().execute();
  await db.schema.dropTable('stripe_refunds_seen').ifExists().execute();
}
