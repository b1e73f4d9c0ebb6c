import type { Kysely } from 'kysely';
import { sql } from '../kysely.js';

// What each creator has earned in each program: the running sum of its positive entries, kept by
// the ledger as it writes them. A new sale checks against it that a creator's balance stays in
// the exact range of amounts, instead of summing all of the creator's entries again on every sale.
// Filled from the entries that exist.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('creator_earnings')
    .addColumn('program_id', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('earned', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('creator_earnings_pk', ['program_id', 'creator_id'])
    .execute();
  await sql`
    insert into creator_earnings (program_id, creator_id, earned)
    select program_id, creator_id, sum(amount) from commissions where amount > 0
    group by program_id, creator_id
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('creator_earnings').execute();
}
