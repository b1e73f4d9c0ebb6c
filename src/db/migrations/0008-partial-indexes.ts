import type { Kysely } from 'kysely';

// Two indexes of the ledger hold a column that most rows leave empty: a commission reverses
// another only when it is a reversal, and a conversion belongs to a subscription only when it is
// recurring. Every tracked sale wrote an entry for its NULLs into both. As partial indexes they
// hold only the rows that have the value, which is all that a lookup by that value can find.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('commissions_reverses').execute();
  await db.schema
    .createIndex('commissions_reverses')
    .on('commissions')
    .column('reverses_id')
    .where('reverses_id', 'is not', null)
    .execute();
  await db.schema.dropIndex('conversions_subscription').execute();
  await db.schema
    .createIndex('conversions_subscription')
    .on('conversions')
    .columns(['program_id', 'subscription_id'])
    .where('subscription_id', 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('commissions_reverses').execute();
  await db.schema.createIndex('commissions_reverses').on('commissions').column('reverses_id').execute();
  await db.schema.dropIndex('conversions_subscription').execute();
  await db.schema
    .createIndex('conversions_subscription')
    .on('conversions')
    .columns(['program_id', 'subscription_id'])
    .execute();
}
