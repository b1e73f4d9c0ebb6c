import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, notFound } from '../shared/errors.js';
import { type Access, checkAccess, type Principal } from '../shared/principal.js';
import { type OwnershipChecks, ownershipLabels, type ResourceKind } from './ownership.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; routes without it are treated as needing any valid token. */
    access?: Access;
    /** The path parameter `id` names an object of this kind in the caller's workspace. */
    resource?: ResourceKind;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export interface AuthOptions {
  /** The caller a bearer token stands for; undefined for a token that is unknown, expired or revoked. */
  authenticate: (token: string) => Promise<Principal | undefined>;
  /** Whether the caller may see the object a path names, per kind of object. */
  ownership: OwnershipChecks;
}

/**
 * Authentication and authorisation for every route, decided by the route's config before the
 * body is read: no token → 401, wrong role → 403, an object of another workspace → 404.
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: AuthOptions) => {
  app.decorateRequest('principal', undefined);

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (!request.routeOptions.url) return; // unknown route: the not-found handler answers
    const access: Access = config.access ?? 'any';
    if (access === 'public') return;
    const token = bearer(request);
    if (!token) throw new AppError('UNAUTHENTICATED', 'A bearer token is required (Authorization: Bearer <token>)');
    const principal = await opts.authenticate(token);
    if (!principal) throw new AppError('UNAUTHENTICATED', 'The token is unknown, expired or revoked');
    request.principal = principal;
    checkAccess(principal, access);
  });

  app.addHook('preValidation', async (request) => {
    const kind = request.routeOptions.config.resource;
    if (!kind) return;
    // The path id: `id`, or else the parameter whose name ends in `Id` (`/workspaces/:workspaceId/…`).
    const params = request.params as Record<string, string | undefined>;
    const id = params.id ?? Object.entries(params).find(([name]) => name.endsWith('Id'))?.[1];
    if (!id) return;
    if (!(await opts.ownership[kind](request.principal, id))) throw notFound(ownershipLabels[kind]);
  });
});
