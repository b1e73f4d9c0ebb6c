import type { Kysely } from 'kysely';

// When the platform last changed a sale's order, as its webhook said (Shopify's `updated_at`,
// WooCommerce's `date_modified_gmt`): platforms may deliver an order's updates out of order, and an
// update older than the state recorded must not take the order back to it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversions').addColumn('source_updated_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversions').dropColumn('source_updated_at').execute();
}
