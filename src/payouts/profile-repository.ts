import type { Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { PayoutFlagsTable, PayoutProfilesTable } from '../db/schema.js';

export type ProfileRow = Selectable<PayoutProfilesTable>;
export type FlagRow = Selectable<PayoutFlagsTable>;

export async function findProfile(db: DbOrTx, creatorId: string): Promise<ProfileRow | undefined> {
  return db.selectFrom('payout_profiles').selectAll().where('creator_id', '=', creatorId).executeTakeFirst();
}

export async function upsertProfile(db: DbOrTx, row: ProfileRow): Promise<void> {
  const { creator_id, created_at, ...rest } = row;
  await db
    .insertInto('payout_profiles')
    .values(row)
    .onConflict((oc) => oc.column('creator_id').doUpdateSet(rest))
    .execute();
}

/** Other creators whose profile pays to the same account or email. */
export async function creatorsSharingDestination(db: DbOrTx, creatorId: string, key: string): Promise<string[]> {
  const rows = await db
    .selectFrom('payout_profiles')
    .select('creator_id')
    .where('destination_key', '=', key)
    .where('creator_id', '!=', creatorId)
    .execute();
  return rows.map((r) => r.creator_id);
}

export async function openFlagBetween(db: DbOrTx, a: string, b: string): Promise<FlagRow | undefined> {
  return db
    .selectFrom('payout_flags')
    .selectAll()
    .where('status', '=', 'open')
    .where((eb) =>
      eb.or([
        eb.and([eb('creator_id', '=', a), eb('other_creator_id', '=', b)]),
        eb.and([eb('creator_id', '=', b), eb('other_creator_id', '=', a)]),
      ]),
    )
    .executeTakeFirst();
}

export async function insertFlag(db: DbOrTx, row: FlagRow): Promise<void> {
  await db.insertInto('payout_flags').values(row).execute();
}

export async function hasOpenFlag(db: DbOrTx, creatorId: string): Promise<boolean> {
  const row = await db
    .selectFrom('payout_flags')
    .select('id')
    .where('status', '=', 'open')
    .where((eb) => eb.or([eb('creator_id', '=', creatorId), eb('other_creator_id', '=', creatorId)]))
    .executeTakeFirst();
  return row !== undefined;
}

/** Flags that involve a creator enrolled in one of the workspace's programs. */
export function flagsOfWorkspace(db: DbOrTx, workspaceId: string) {
  const enrolled = db.selectFrom('enrollments').select('creator_id').where('workspace_id', '=', workspaceId);
  return db
    .selectFrom('payout_flags')
    .selectAll()
    .where((eb) => eb.or([eb('creator_id', 'in', enrolled), eb('other_creator_id', 'in', enrolled)]));
}
