import type { Kysely } from 'kysely';

// Indexes that every tracked sale wrote into and that no lookup needed as they were:
// - `conversions_workspace` served no query: conversions are read by id, by order, by creator
//   and month, or by subscription, each through an index of its own;
// - a creator's sales of a month are only ever summed for a creator, so an unattributed sale
//   has no place in `conversions_creator_month`;
// - customers are found by email only with an email, so a customer without one has no place in
//   `customers_program_email`.
// Each was one more tree to update per sale, and a few more pages in every commit.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('conversions_workspace').execute();
  await db.schema.dropIndex('conversions_creator_month').execute();
  await db.schema
    .createIndex('conversions_creator_month')
    .on('conversions')
    .columns(['program_id', 'creator_id', 'occurred_at'])
    .where('creator_id', 'is not', null)
    .execute();
  await db.schema.dropIndex('customers_program_email').execute();
  await db.schema
    .createIndex('customers_program_email')
    .on('customers')
    .columns(['program_id', 'email_hash'])
    .where('email_hash', 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('customers_program_email').execute();
  await db.schema
    .createIndex('customers_program_email')
    .on('customers')
    .columns(['program_id', 'email_hash'])
    .execute();
  await db.schema.dropIndex('conversions_creator_month').execute();
  await db.schema
    .createIndex('conversions_creator_month')
    .on('conversions')
    .columns(['program_id', 'creator_id', 'occurred_at'])
    .execute();
  await db.schema.createIndex('conversions_workspace').on('conversions').columns(['workspace_id', 'id']).execute();
}
