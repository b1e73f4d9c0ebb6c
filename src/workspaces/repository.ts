import type { DbOrTx } from '../db/database.js';
import type { WorkspaceRole, WorkspaceScope } from '../shared/principal.js';

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: WorkspaceRole;
  since: string;
}

function selectMembers(db: DbOrTx, scope: WorkspaceScope) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id as userId', 'users.email', 'users.name', 'memberships.role', 'memberships.created_at as since'])
    .where('memberships.workspace_id', '=', scope.workspaceId);
}

/** True when a workspace of this id exists (the operator names any workspace). */
export async function workspaceExists(db: DbOrTx, id: string): Promise<boolean> {
  return (await db.selectFrom('workspaces').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function listMembers(db: DbOrTx, scope: WorkspaceScope): Promise<Member[]> {
  return selectMembers(db, scope).orderBy('memberships.id', 'asc').execute();
}

export async function findMember(db: DbOrTx, scope: WorkspaceScope, userId: string): Promise<Member | undefined> {
  return selectMembers(db, scope).where('users.id', '=', userId).executeTakeFirst();
}

export async function memberExists(db: DbOrTx, scope: WorkspaceScope, userId: string): Promise<boolean> {
  return (await findMember(db, scope, userId)) !== undefined;
}

export async function countOwners(db: DbOrTx, scope: WorkspaceScope): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', scope.workspaceId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setMemberRole(db: DbOrTx, scope: WorkspaceScope, userId: string, role: WorkspaceRole) {
  await db
    .updateTable('memberships')
    .set({ role })
    .where('workspace_id', '=', scope.workspaceId)
    .where('user_id', '=', userId)
    .execute();
}

export async function removeMember(db: DbOrTx, scope: WorkspaceScope, userId: string) {
  await db
    .deleteFrom('memberships')
    .where('workspace_id', '=', scope.workspaceId)
    .where('user_id', '=', userId)
    .execute();
  // Sessions opened in this workspace end with the membership.
  await db.deleteFrom('sessions').where('workspace_id', '=', scope.workspaceId).where('user_id', '=', userId).execute();
}
