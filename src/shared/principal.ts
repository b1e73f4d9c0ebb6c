import { AppError, forbidden } from './errors.js';

export type WorkspaceRole = 'owner' | 'manager' | 'viewer';

/** Who is calling: resolved once per request from its bearer token. */
export interface Principal {
  via: 'session' | 'apiKey';
  credentialId: string;
  userId: string | null;
  workspace: { id: string; role: WorkspaceRole } | null;
  creatorId: string | null;
  isOperator: boolean;
}

/**
 * What a route needs: `public` (no token), `any` (any valid token), a minimum workspace role,
 * a creator account, or the instance operator.
 */
export type Access = 'public' | 'any' | 'viewer' | 'manager' | 'owner' | 'creator' | 'brandOrCreator' | 'operator';

const rank: Record<WorkspaceRole, number> = { viewer: 1, manager: 2, owner: 3 };

export function roleAtLeast(role: WorkspaceRole, needed: WorkspaceRole): boolean {
  return rank[role] >= rank[needed];
}

/** Throws 403 when the principal may not use a route of the given access. */
export function checkAccess(principal: Principal, access: Access): void {
  switch (access) {
    case 'public':
    case 'any':
      return;
    case 'viewer':
    case 'manager':
    case 'owner':
      if (!principal.workspace) throw forbidden('This needs a brand workspace');
      if (!roleAtLeast(principal.workspace.role, access)) {
        throw forbidden(`This needs the ${access} role; you are ${principal.workspace.role}`);
      }
      return;
    case 'creator':
      if (!principal.creatorId) throw forbidden('This needs a creator account');
      return;
    case 'brandOrCreator':
      if (!principal.creatorId && !principal.workspace) throw forbidden('This needs a brand or creator account');
      return;
    case 'operator':
      if (!principal.isOperator) throw forbidden('This needs the instance operator');
      return;
  }
}

declare const scopeBrand: unique symbol;

/**
 * Proof that the caller belongs to one workspace. Brand-side repository functions take a scope,
 * never a bare workspace id, so every query they run is limited to the caller's workspace.
 */
export interface WorkspaceScope {
  readonly workspaceId: string;
  readonly role: WorkspaceRole;
  readonly [scopeBrand]: true;
}

export function workspaceScope(principal: Principal | undefined): WorkspaceScope {
  if (!principal) throw new AppError('UNAUTHENTICATED', 'A bearer token is required');
  if (!principal.workspace) throw forbidden('This needs a brand workspace');
  return { workspaceId: principal.workspace.id, role: principal.workspace.role } as WorkspaceScope;
}

/** For trusted internal callers (command line, demo loader) that act inside one workspace. */
export function trustedScope(workspaceId: string, role: WorkspaceRole = 'owner'): WorkspaceScope {
  return { workspaceId, role } as WorkspaceScope;
}
