import {
  type Creator,
  findCreatorByEmail,
  findCreatorByUser,
  insertCreator,
  linkCreatorToUser,
} from '../creators/repository.js';
import type { Db, DbOrTx } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Principal, WorkspaceRole } from '../shared/principal.js';
import { roleAtLeast } from '../shared/principal.js';
import { claimInvitation, createInvitation, invitationUsable } from './invitations.js';
import {
  DEFAULT_SCRYPT,
  decoy,
  hashPassword,
  passwordWeakness,
  type ScryptParams,
  verifyPassword,
} from './password.js';
import * as repo from './repository.js';
import {
  API_KEY_PREFIX,
  hashToken,
  keyPrefix,
  newApiKey,
  newSessionToken,
  SESSION_PREFIX,
  SESSION_TTL_MS,
} from './tokens.js';

export interface AccountsDeps {
  db: Db;
  secret: string;
  clock: Clock;
  /** Password hashing cost; only tests lower it. */
  passwordParams?: ScryptParams | undefined;
  /** Who may sign up as a brand: anyone, or those with an operator's invitation. */
  brandSignup?: 'open' | 'invite' | undefined;
  /**
   * Signup answers the same whether the address has an account, and an account it makes signs
   * in once its address is confirmed: on an instance the world can reach.
   */
  confirmSignup?: boolean | undefined;
}

export interface SignupInput {
  email: string;
  password: string;
  name: string;
  kind: 'brand' | 'creator';
  workspaceName?: string | undefined;
  country?: string | undefined;
  /** An operator's invitation code, where brand signup is by invitation. */
  inviteCode?: string | undefined;
}

/**
 * What a signup came to: signed up with a session (an instance only this machine reaches), or
 * accepted, the same whether the address had an account or not; `existed` tells the caller
 * which email to send, never the person signing up.
 */
export type SignupOutcome =
  | ({ kind: 'signedUp' } & SignupResult)
  | { kind: 'accepted'; userId: string; existed: boolean };

export interface SignupResult {
  token: string;
  user: repo.User;
  workspace?: repo.Workspace;
  creator?: Creator;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function accountsService({
  db,
  secret,
  clock,
  passwordParams = DEFAULT_SCRYPT,
  brandSignup = 'open',
  confirmSignup = false,
}: AccountsDeps) {
  const now = () => clock.now().toISOString();

  async function openSession(tx: DbOrTx, userId: string, workspaceId: string | null): Promise<string> {
    const token = newSessionToken();
    const created = clock.now();
    await repo.insertSession(tx, {
      id: newId('session'),
      userId,
      workspaceId,
      tokenHash: hashToken(secret, token),
      createdAt: created.toISOString(),
      expiresAt: new Date(created.getTime() + SESSION_TTL_MS).toISOString(),
    });
    return token;
  }

  /**
   * Creates a user with a workspace (brand) or a creator account, in one transaction. Where
   * signup is confirmed by email, an address that has an account is accepted alike and changes
   * nothing, and the new account opens no session until its address is confirmed.
   */
  async function signup(input: SignupInput, options: { operator?: boolean } = {}): Promise<SignupOutcome> {
    const email = normaliseEmail(input.email);
    // An operator made from the command line is confirmed by whoever runs it.
    const confirm = confirmSignup && !options.operator;
    const weakness = passwordWeakness(input.password, email);
    if (weakness) throw new AppError('WEAK_PASSWORD', weakness, [{ path: 'password', message: weakness }]);
    const invitationNeeded = input.kind === 'brand' && brandSignup === 'invite' && !options.operator;
    const closed = () =>
      new AppError(
        'BRAND_SIGNUP_CLOSED',
        input.inviteCode
          ? 'This invitation code is unknown, used, expired or for another email'
          : 'Brands sign up on this instance by invitation: ask its operator for an invitation code',
      );
    if (invitationNeeded && !input.inviteCode) throw closed();
    const existing = await repo.findUserByEmail(db, email);
    const passwordHash = await hashPassword(input.password, passwordParams);
    if (existing && confirm) {
      // As a new address would be: an invitation is checked, never used.
      if (invitationNeeded && !(await invitationUsable(db, secret, input.inviteCode ?? '', email, now()))) {
        throw closed();
      }
      return { kind: 'accepted', userId: existing.id, existed: true };
    }
    if (existing) throw new AppError('EMAIL_TAKEN', 'An account with this email already exists');
    const createdAt = now();
    const made = await db.transaction().execute(async (tx) => {
      const user = await repo.insertUserIfNew(tx, {
        id: newId('user'),
        email,
        name: input.name.trim(),
        passwordHash,
        kind: input.kind,
        isOperator: options.operator ?? false,
        createdAt,
        pending: confirm,
      });
      // The address was taken between the look-up and the insert: answered below as before.
      if (!user) return undefined;
      if (input.kind === 'brand') {
        if (
          invitationNeeded &&
          !(await claimInvitation(tx, secret, input.inviteCode ?? '', email, user.id, createdAt))
        ) {
          throw closed();
        }
        const workspace = await repo.insertWorkspace(tx, {
          id: newId('workspace'),
          name: input.workspaceName?.trim() || `${user.name}'s workspace`,
          country: input.country ?? null,
          createdAt,
        });
        await repo.insertMembership(tx, {
          id: newId('membership'),
          workspaceId: workspace.id,
          userId: user.id,
          role: 'owner',
          createdAt,
        });
        if (confirm) return { kind: 'accepted' as const, userId: user.id, existed: false };
        const token = await openSession(tx, user.id, workspace.id);
        return { kind: 'signedUp' as const, token, user, workspace };
      }
      // A creator invited by email before signing up already has a creator record: claim it. Its
      // name was made from the email (or typed by the brand); the person's own choice replaces it.
      const invited = await findCreatorByEmail(tx, email);
      let creator: Creator;
      if (invited && !invited.userId) {
        await linkCreatorToUser(tx, invited.id, user.id, user.name);
        creator = { ...invited, userId: user.id, name: user.name };
      } else {
        creator = await insertCreator(tx, {
          id: newId('creator'),
          userId: user.id,
          name: user.name,
          email,
          country: input.country ?? null,
          createdAt,
        });
      }
      if (confirm) return { kind: 'accepted' as const, userId: user.id, existed: false };
      const token = await openSession(tx, user.id, null);
      return { kind: 'signedUp' as const, token, user, creator };
    });
    if (made) return made;
    const taken = confirm ? await repo.findUserByEmail(db, email) : undefined;
    if (taken) return { kind: 'accepted', userId: taken.id, existed: true };
    throw new AppError('EMAIL_TAKEN', 'An account with this email already exists');
  }

  async function login(emailInput: string, password: string) {
    const email = normaliseEmail(emailInput);
    const row = await repo.findUserByEmail(db, email);
    if (!row) {
      await verifyPassword(password, await decoy(passwordParams));
      throw new AppError('INVALID_CREDENTIALS', 'Email or password is wrong');
    }
    // An account whose signup is not confirmed yet answers as a wrong password would: else a
    // signup followed by a login would tell whether the address had an account before.
    if (!(await verifyPassword(password, row.password_hash)) || (row.signup_pending === 1 && !row.email_verified_at)) {
      throw new AppError('INVALID_CREDENTIALS', 'Email or password is wrong');
    }
    const user = repo.toUser(row);
    const membership = user.kind === 'brand' ? await repo.firstMembership(db, user.id) : undefined;
    const token = await openSession(db, user.id, membership?.workspace_id ?? null);
    const workspace = membership ? await repo.findWorkspace(db, membership.workspace_id) : undefined;
    const creator = user.kind === 'creator' ? await findCreatorByUser(db, user.id) : undefined;
    return { token, user, workspace, creator };
  }

  /** Resolves a bearer token to a principal, or undefined when it is unknown, expired or revoked. */
  async function authenticate(token: string): Promise<Principal | undefined> {
    const hash = hashToken(secret, token);
    const at = clock.now();
    if (token.startsWith(SESSION_PREFIX)) {
      const s = await repo.findSessionByHash(db, hash);
      if (!s || s.expires_at <= at.toISOString()) return undefined;
      // The membership and the creator are looked up together: on PostgreSQL, one round trip less.
      const [m, creator] = await Promise.all([
        s.workspace_id ? repo.findMembership(db, s.user_id, s.workspace_id) : undefined,
        findCreatorByUser(db, s.user_id),
      ]);
      let workspace: Principal['workspace'] = null;
      if (s.workspace_id) {
        if (!m) return undefined;
        workspace = { id: m.workspace_id, role: m.role };
      }
      // last_used_at is written at most once a minute per session, not on every request.
      if (at.getTime() - Date.parse(s.last_used_at) > 60_000) await repo.touchSession(db, s.id, at.toISOString());
      return {
        via: 'session',
        credentialId: s.id,
        userId: s.user_id,
        workspace,
        creatorId: creator?.id ?? null,
        isOperator: s.is_operator === 1,
      };
    }
    if (token.startsWith(API_KEY_PREFIX)) {
      const key = await repo.findApiKeyByHash(db, hash);
      if (!key || key.revokedAt) return undefined;
      if (!key.lastUsedAt || at.getTime() - Date.parse(key.lastUsedAt) > 60_000) {
        await repo.touchApiKey(db, key.id, at.toISOString());
      }
      return {
        via: 'apiKey',
        credentialId: key.id,
        userId: null,
        workspace: key.workspaceId && key.role !== 'creator' ? { id: key.workspaceId, role: key.role } : null,
        creatorId: key.creatorId,
        isOperator: false,
      };
    }
    return undefined;
  }

  async function logout(principal: Principal): Promise<void> {
    if (principal.via === 'session') await repo.deleteSession(db, principal.credentialId);
  }

  /**
   * Creates an API key for the caller's workspace (at most the caller's own role) or for the
   * caller's creator account. The key itself is returned once and never stored.
   */
  async function createApiKey(
    principal: Principal,
    input: { name: string; role?: WorkspaceRole | undefined },
  ): Promise<{ apiKey: repo.ApiKey; key: string }> {
    const key = newApiKey();
    let owner: { workspaceId: string | null; creatorId: string | null; role: repo.ApiKey['role'] };
    if (principal.workspace) {
      const role = input.role ?? 'manager';
      if (!roleAtLeast(principal.workspace.role, 'manager')) {
        throw new AppError('FORBIDDEN', 'Viewers cannot create API keys');
      }
      if (!roleAtLeast(principal.workspace.role, role)) {
        throw new AppError('FORBIDDEN', `A ${principal.workspace.role} cannot create a key with the ${role} role`);
      }
      owner = { workspaceId: principal.workspace.id, creatorId: null, role };
    } else if (principal.creatorId) {
      if (input.role)
        throw new AppError('VALIDATION_FAILED', 'Creator keys have no workspace role', [
          { path: 'role', message: 'not allowed for a creator key' },
        ]);
      owner = { workspaceId: null, creatorId: principal.creatorId, role: 'creator' };
    } else {
      throw new AppError('FORBIDDEN', 'API keys belong to a workspace or a creator account');
    }
    const apiKey: repo.ApiKey = {
      id: newId('apiKey'),
      name: input.name.trim(),
      prefix: keyPrefix(key),
      role: owner.role,
      workspaceId: owner.workspaceId,
      creatorId: owner.creatorId,
      createdAt: now(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await repo.insertApiKey(db, { ...apiKey, keyHash: hashToken(secret, key), createdBy: principal.userId });
    return { apiKey, key };
  }

  /** Used by the command line, which acts as the workspace owner. */
  async function createWorkspaceKey(workspaceId: string, name: string, role: WorkspaceRole) {
    const ws = await repo.findWorkspace(db, workspaceId);
    if (!ws) throw notFound('Workspace');
    return createApiKey(
      {
        via: 'apiKey',
        credentialId: 'cli',
        userId: null,
        workspace: { id: ws.id, role: 'owner' },
        creatorId: null,
        isOperator: true,
      },
      { name, role },
    );
  }

  function keyOwner(principal: Principal): { workspaceId: string } | { creatorId: string } {
    if (principal.workspace) return { workspaceId: principal.workspace.id };
    if (principal.creatorId) return { creatorId: principal.creatorId };
    throw new AppError('FORBIDDEN', 'API keys belong to a workspace or a creator account');
  }

  async function listApiKeys(principal: Principal) {
    return repo.listApiKeys(db, keyOwner(principal));
  }

  async function revokeApiKey(principal: Principal, id: string) {
    const owner = keyOwner(principal);
    if ('workspaceId' in owner && !roleAtLeast(principal.workspace?.role ?? 'viewer', 'manager')) {
      throw new AppError('FORBIDDEN', 'Viewers cannot revoke API keys');
    }
    if (!(await repo.revokeApiKey(db, owner, id, now()))) throw notFound('API key');
  }

  /** Makes an operator: a new account, or an existing user raised to operator. */
  async function createOperator(input: { email: string; password: string; name: string }) {
    const existing = await repo.findUserByEmail(db, normaliseEmail(input.email));
    if (existing) {
      await repo.setOperator(db, existing.id);
      return { user: { ...repo.toUser(existing), isOperator: true }, created: false };
    }
    const result = await signup({ ...input, kind: 'brand', workspaceName: 'Operations' }, { operator: true });
    if (result.kind !== 'signedUp') throw new Error('an operator is never made pending');
    return { user: result.user, created: true };
  }

  return {
    signup,
    inviteBrand: (input: { email: string | null; createdBy: string }) => createInvitation(db, secret, clock, input),
    login,
    authenticate,
    logout,
    createApiKey,
    createWorkspaceKey,
    listApiKeys,
    revokeApiKey,
    createOperator,
  };
}

export type AccountsService = ReturnType<typeof accountsService>;
