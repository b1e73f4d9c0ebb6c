import * as accountsRepo from '../accounts/repository.js';
import { normaliseEmail } from '../accounts/service.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { WorkspaceRole, WorkspaceScope } from '../shared/principal.js';
import * as repo from './repository.js';

/** A workspace's team: who belongs to it and with which role. Only owners change it. */
export function membersService({ db, clock }: { db: Db; clock: Clock }) {
  async function add(scope: WorkspaceScope, input: { email: string; role: WorkspaceRole }) {
    const user = await accountsRepo.findUserByEmail(db, normaliseEmail(input.email));
    if (user?.kind !== 'brand') {
      throw new AppError('NO_SUCH_ACCOUNT', 'No brand account has this email; ask them to sign up first', [
        { path: 'body.email', message: 'no brand account' },
      ]);
    }
    if (await repo.memberExists(db, scope, user.id)) {
      throw new AppError('ALREADY_MEMBER', 'This person is already a member of the workspace');
    }
    await accountsRepo.insertMembership(db, {
      id: newId('membership'),
      workspaceId: scope.workspaceId,
      userId: user.id,
      role: input.role,
      createdAt: clock.now().toISOString(),
    });
    return (await repo.findMember(db, scope, user.id))!;
  }

  /** Changes a role; the workspace always keeps at least one owner. */
  async function changeRole(scope: WorkspaceScope, userId: string, role: WorkspaceRole) {
    return db.transaction().execute(async (tx) => {
      const member = await repo.findMember(tx, scope, userId);
      if (!member) throw notFound('Member');
      if (member.role === 'owner' && role !== 'owner' && (await repo.countOwners(tx, scope)) <= 1) {
        throw new AppError('LAST_OWNER', 'A workspace needs at least one owner; make someone else owner first');
      }
      await repo.setMemberRole(tx, scope, userId, role);
      return { ...member, role };
    });
  }

  async function remove(scope: WorkspaceScope, userId: string) {
    await db.transaction().execute(async (tx) => {
      const member = await repo.findMember(tx, scope, userId);
      if (!member) throw notFound('Member');
      if (member.role === 'owner' && (await repo.countOwners(tx, scope)) <= 1) {
        throw new AppError('LAST_OWNER', 'A workspace needs at least one owner; make someone else owner first');
      }
      await repo.removeMember(tx, scope, userId);
    });
  }

  /** Switches a user's session to another workspace the user belongs to. */
  async function switchWorkspace(userId: string, sessionId: string, workspaceId: string) {
    const m = await accountsRepo.findMembership(db, userId, workspaceId);
    if (!m) throw notFound('Workspace');
    await accountsRepo.setSessionWorkspace(db, sessionId, m.workspace_id);
    return { workspaceId: m.workspace_id, role: m.role };
  }

  return { list: (scope: WorkspaceScope) => repo.listMembers(db, scope), add, changeRole, remove, switchWorkspace };
}

export type MembersService = ReturnType<typeof membersService>;
