import { type Kysely, sql } from 'kysely';

// On an instance the world can reach, signup gives the same answer whether the address has an
// account or not: an account made that way signs in only once its address is confirmed. Accounts
// that exist already are not held back.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('signup_pending', 'integer', (c) => c.notNull().defaultTo(sql`0`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('signup_pending').execute();
}
