import type { Selectable } from 'kysely';
import type { Db, DbOrTx } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import type { ApiKeysTable, UsersTable, WorkspacesTable } from '../db/schema.js';
import type { WorkspaceRole } from '../shared/principal.js';

export interface User {
  id: string;
  email: string;
  name: string;
  kind: 'brand' | 'creator';
  isOperator: boolean;
  createdAt: string;
  /** When the person followed the verification link sent to their email; null until then. */
  emailVerifiedAt: string | null;
}

export interface Workspace {
  id: string;
  name: string;
  country: string | null;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: 'owner' | 'manager' | 'viewer' | 'creator';
  workspaceId: string | null;
  creatorId: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    kind: row.kind,
    isOperator: row.is_operator === 1,
    createdAt: row.created_at,
    emailVerifiedAt: row.email_verified_at ?? null,
  };
}

export function toWorkspace(row: Selectable<WorkspacesTable>): Workspace {
  return { id: row.id, name: row.name, country: row.country, createdAt: row.created_at };
}

export function toApiKey(row: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    workspaceId: row.workspace_id,
    creatorId: row.creator_id,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export async function findUserByEmail(db: DbOrTx, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findUserById(db: DbOrTx, id: string) {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toUser(row) : undefined;
}

/** Inserts a user unless the address has an account; undefined when it has (nothing written). */
export async function insertUserIfNew(db: DbOrTx, user: Parameters<typeof insertUser>[1]): Promise<User | undefined> {
  const row = {
    id: user.id,
    email: user.email,
    name: user.name,
    password_hash: user.passwordHash,
    kind: user.kind,
    is_operator: user.isOperator ? 1 : 0,
    created_at: user.createdAt,
    email_verified_at: null,
    signup_pending: user.pending ? 1 : 0,
  };
  const res = await db
    .insertInto('users')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1 ? toUser(row) : undefined;
}

export async function insertUser(
  db: DbOrTx,
  user: {
    id: string;
    email: string;
    name: string;
    passwordHash: string;
    kind: 'brand' | 'creator';
    isOperator: boolean;
    createdAt: string;
    /** Signs in only once the address is confirmed (a signup that answered the same either way). */
    pending?: boolean;
  },
): Promise<User> {
  const row = {
    id: user.id,
    email: user.email,
    name: user.name,
    password_hash: user.passwordHash,
    kind: user.kind,
    is_operator: user.isOperator ? 1 : 0,
    created_at: user.createdAt,
    email_verified_at: null,
    signup_pending: user.pending ? 1 : 0,
  };
  await db.insertInto('users').values(row).execute();
  return toUser(row);
}

export async function setOperator(db: DbOrTx, userId: string): Promise<void> {
  await db.updateTable('users').set({ is_operator: 1 }).where('id', '=', userId).execute();
}

export async function insertWorkspace(db: DbOrTx, ws: Workspace): Promise<Workspace> {
  await db
    .insertInto('workspaces')
    .values({ id: ws.id, name: ws.name, country: ws.country, created_at: ws.createdAt })
    .execute();
  return ws;
}

export async function findWorkspace(db: DbOrTx, id: string) {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toWorkspace(row) : undefined;
}

export async function findWorkspaceByName(db: DbOrTx, name: string) {
  const row = await db.selectFrom('workspaces').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? toWorkspace(row) : undefined;
}

export async function listAllWorkspaces(db: DbOrTx, limit: number, before?: string) {
  let q = db.selectFrom('workspaces').selectAll().orderBy('id', 'desc').limit(limit);
  if (before) q = q.where('id', '<', before);
  return (await q.execute()).map(toWorkspace);
}

export async function insertMembership(
  db: DbOrTx,
  m: { id: string; workspaceId: string; userId: string; role: WorkspaceRole; createdAt: string },
): Promise<void> {
  await db
    .insertInto('memberships')
    .values({ id: m.id, workspace_id: m.workspaceId, user_id: m.userId, role: m.role, created_at: m.createdAt })
    .execute();
}

/** The user's first workspace (the one a new session opens in). */
export async function firstMembership(db: DbOrTx, userId: string) {
  return db
    .selectFrom('memberships')
    .select(['workspace_id', 'role'])
    .where('user_id', '=', userId)
    .orderBy('id', 'asc')
    .executeTakeFirst();
}

export async function findMembership(db: DbOrTx, userId: string, workspaceId: string) {
  return db
    .selectFrom('memberships')
    .select(['workspace_id', 'role'])
    .where('user_id', '=', userId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

export async function insertSession(
  db: DbOrTx,
  s: {
    id: string;
    userId: string;
    workspaceId: string | null;
    tokenHash: string;
    createdAt: string;
    expiresAt: string;
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: s.id,
      user_id: s.userId,
      workspace_id: s.workspaceId,
      token_hash: s.tokenHash,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
      last_used_at: s.createdAt,
    })
    .execute();
}

export async function findSessionByHash(db: DbOrTx, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.user_id',
      'sessions.workspace_id',
      'sessions.expires_at',
      'sessions.last_used_at',
      'users.is_operator',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchSession(db: DbOrTx, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_used_at: at }).where('id', '=', id).execute();
}

/** A session now works in another workspace of its user. */
export async function setSessionWorkspace(db: DbOrTx, id: string, workspaceId: string): Promise<void> {
  await db.updateTable('sessions').set({ workspace_id: workspaceId }).where('id', '=', id).execute();
}

export async function deleteSession(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function insertApiKey(
  db: DbOrTx,
  k: ApiKey & { keyHash: string; createdBy: string | null },
): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({
      id: k.id,
      workspace_id: k.workspaceId,
      creator_id: k.creatorId,
      name: k.name,
      prefix: k.prefix,
      key_hash: k.keyHash,
      role: k.role,
      created_by: k.createdBy,
      created_at: k.createdAt,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
}

const apiKeyByHash = prepared<{ keyHash: string }, Selectable<ApiKeysTable>>(['keyHash'], (db, v) =>
  db.selectFrom('api_keys').selectAll().where('key_hash', '=', v.keyHash),
);

export async function findApiKeyByHash(db: DbOrTx, keyHash: string) {
  const row = await apiKeyByHash.first(db, { keyHash });
  return row ? toApiKey(row) : undefined;
}

export async function touchApiKey(db: DbOrTx, id: string, at: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
}

/** Keys of one owner: a workspace or a creator account. */
export async function listApiKeys(db: DbOrTx, owner: { workspaceId: string } | { creatorId: string }) {
  let q = db.selectFrom('api_keys').selectAll().where('revoked_at', 'is', null).orderBy('id', 'desc');
  q =
    'workspaceId' in owner
      ? q.where('workspace_id', '=', owner.workspaceId)
      : q.where('creator_id', '=', owner.creatorId);
  return (await q.execute()).map(toApiKey);
}

export async function revokeApiKey(
  db: DbOrTx,
  owner: { workspaceId: string } | { creatorId: string },
  id: string,
  at: string,
): Promise<boolean> {
  let q = db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null);
  q =
    'workspaceId' in owner
      ? q.where('workspace_id', '=', owner.workspaceId)
      : q.where('creator_id', '=', owner.creatorId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** True when the key (revoked or not) belongs to the workspace or the creator account. */
export async function apiKeyVisible(
  db: DbOrTx,
  owner: { workspaceId: string } | { creatorId: string },
  id: string,
): Promise<boolean> {
  let q = db.selectFrom('api_keys').select('id').where('id', '=', id);
  q =
    'workspaceId' in owner
      ? q.where('workspace_id', '=', owner.workspaceId)
      : q.where('creator_id', '=', owner.creatorId);
  return (await q.executeTakeFirst()) !== undefined;
}

export type { Db };
