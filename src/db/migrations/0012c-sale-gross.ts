import type { Kysely } from 'kysely';

// What the shopper paid in all for a sale (lines, shipping, tax), so that a refund of money is
// taken from the lines only in its part of that amount.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversions').addColumn('gross_amount', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversions').dropColumn('gross_amount').execute();
}
