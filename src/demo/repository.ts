/**
 * What the demo reads back of the world it has just made (enrollments, accounts, products,
 * codes, clicks), each in a fixed order so that the seed draws the same world on both databases.
 * Everything it writes goes through the domains' services and repositories.
 */
import type { Db, DbOrTx } from '../db/database.js';

/** Tells whether the database already holds accounts (the demo only fills an empty one). */
export async function databaseIsEmpty(db: Db): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) === undefined;
}

/** Approved enrollments with their program, by enrollment id. */
export function approvedEnrollments(db: DbOrTx) {
  return db
    .selectFrom('enrollments')
    .innerJoin('programs', 'programs.id', 'enrollments.program_id')
    .innerJoin('creators', 'creators.id', 'enrollments.creator_id')
    .select([
      'enrollments.creator_id',
      'enrollments.program_id',
      'enrollments.workspace_id',
      'programs.name',
      'programs.currency',
      'programs.allowed_domains',
      'creators.name as creator_name',
      'creators.user_id as creator_user_id',
    ])
    .where('enrollments.status', '=', 'approved')
    .orderBy('enrollments.id')
    .execute();
}

export function socialAccounts(db: DbOrTx) {
  return db.selectFrom('social_accounts').selectAll().orderBy('id').execute();
}

export function activeProducts(db: DbOrTx) {
  return db
    .selectFrom('products')
    .select(['program_id', 'external_id', 'name', 'url', 'price_amount'])
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
}

export function programs(db: DbOrTx) {
  return db.selectFrom('programs').select(['id', 'workspace_id', 'currency']).orderBy('id').execute();
}

/** A program's active codes with their creator's email (for the self-referral case). */
export function activeCodes(db: DbOrTx, programId: string) {
  return db
    .selectFrom('codes')
    .innerJoin('creators', 'creators.id', 'codes.creator_id')
    .select(['codes.code', 'codes.status', 'codes.active_until', 'creators.email'])
    .where('codes.program_id', '=', programId)
    .where('codes.status', '=', 'active')
    .orderBy('codes.id')
    .execute();
}

/** Human clicks of a program's links, oldest first: sales follow some of them. */
export function humanClicks(db: DbOrTx, programId: string, limit: number) {
  return db
    .selectFrom('clicks')
    .select(['id', 'at'])
    .where('program_id', '=', programId)
    .where('is_bot', '=', 0)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function heldCommissions(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom('commissions')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('hold_reason', 'is not', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A creator's first bio link, to try the redirect with. */
export async function bioSlugOf(db: DbOrTx, creatorId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('links')
    .select('slug')
    .where('creator_id', '=', creatorId)
    .where('placement', '=', 'bio')
    .orderBy('id')
    .executeTakeFirst();
  return row?.slug;
}
