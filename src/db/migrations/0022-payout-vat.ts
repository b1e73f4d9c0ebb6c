import type { Kysely } from 'kysely';

// The VAT a payout pays on top of its commissions: when the creator's self-billing invoice adds
// VAT (a VAT-registered creator billing a brand at home), the creator is paid the invoice's total.
// `amount` stays what the ledger's entries add up to; the money sent is `amount + vat_amount`.
// Payouts made before this paid their commissions alone: 0.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('payouts')
    .addColumn('vat_amount', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('payouts').dropColumn('vat_amount').execute();
}
