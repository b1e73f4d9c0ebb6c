import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config/config.js';
import { findCreatorById } from '../creators/repository.js';
import type { Db } from '../db/database.js';
import { decodeCursor, errorBody, errorResponses, idParams, listOf, page } from '../http/schemas.js';
import { AppError } from '../shared/errors.js';
import * as repo from './repository.js';
import {
  apiKeySchema,
  createApiKeyBody,
  createdApiKeySchema,
  email,
  loginBody,
  meResponse,
  sessionResponse,
  signupBody,
} from './schemas.js';
import type { AccountsService } from './service.js';

function publicCreator(c: { id: string; name: string; email: string; country: string | null; createdAt: string }) {
  return { id: c.id, name: c.name, email: c.email, country: c.country, createdAt: c.createdAt };
}

export const accountRoutes: FastifyPluginAsyncZod<{
  accounts: AccountsService;
  db: Db;
  config: Config;
  /** Told of each new account once it is committed (the verification email). */
  onSignedUp?: ((userId: string) => Promise<void>) | undefined;
  /** Told of a signup with an address that has an account, where signup is confirmed by email. */
  onSignupAttempt?: ((userId: string) => Promise<void>) | undefined;
}> = async (app, { accounts, db, config, onSignedUp, onSignupAttempt }) => {
  const authLimit = { max: config.authRateLimit.max, timeWindow: config.authRateLimit.windowMs };

  app.post(
    '/api/v1/auth/signup',
    {
      config: { access: 'public', rateLimit: authLimit },
      schema: {
        tags: ['accounts'],
        summary: 'Sign up as a brand (with a new workspace) or as a creator',
        description:
          "On an instance only its own machine reaches (a loopback public URL: the demo, a developer's " +
          'machine) the answer is 201 with a session, and 409 EMAIL_TAKEN for an address that has an ' +
          'account. On an instance the world can reach the answer is 202 `{"accepted": true}` whether the ' +
          'address has an account or not: a new account is made and its address gets the confirmation ' +
          'link, after which it signs in with its password (POST /auth/login); an address that has an ' +
          'account is told by email that someone tried to sign up with it, and nothing changes.',
        security: [],
        body: signupBody,
        response: {
          201: sessionResponse,
          202: z.object({ accepted: z.literal(true) }).meta({ id: 'SignupAccepted' }),
          400: errorBody,
          403: errorBody,
          409: errorBody,
          429: errorBody,
        },
      },
    },
    async (request, reply) => {
      const result = await accounts.signup(request.body);
      if (result.kind === 'accepted') {
        // The same answer either way; only the email differs, and it goes to the address.
        const tell = result.existed ? onSignupAttempt : onSignedUp;
        await tell?.(result.userId).catch((err: unknown) =>
          request.log.error({ err }, 'the signup email could not be written'),
        );
        return reply.status(202).send({ accepted: true });
      }
      // The account exists whatever becomes of the email: its link can be asked for again.
      await onSignedUp?.(result.user.id).catch((err: unknown) =>
        request.log.error({ err }, 'the verification email could not be written'),
      );
      return reply.status(201).send({
        token: result.token,
        user: result.user,
        ...(result.workspace ? { workspace: result.workspace } : {}),
        ...(result.creator ? { creator: publicCreator(result.creator) } : {}),
      });
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public', rateLimit: authLimit },
      schema: {
        tags: ['accounts'],
        summary: 'Log in with email and password',
        security: [],
        body: loginBody,
        response: { 200: sessionResponse, 400: errorBody, 401: errorBody, 429: errorBody },
      },
    },
    async (request) => {
      const result = await accounts.login(request.body.email, request.body.password);
      return {
        token: result.token,
        user: result.user,
        ...(result.workspace ? { workspace: result.workspace } : {}),
        ...(result.creator ? { creator: publicCreator(result.creator) } : {}),
      };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'any' },
      schema: {
        tags: ['accounts'],
        summary: 'End the current session (an API key is not a session: revoke it with DELETE /api/v1/api-keys/{id})',
        response: { 204: z.null(), 400: errorBody, 401: errorBody },
      },
    },
    async (request, reply) => {
      if (request.principal?.via === 'apiKey') {
        throw new AppError(
          'NOT_A_SESSION',
          `An API key has no session to end, and logging out does not revoke it: DELETE /api/v1/api-keys/${request.principal.credentialId} does`,
        );
      }
      if (request.principal) await accounts.logout(request.principal);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { access: 'any' },
      schema: {
        tags: ['accounts'],
        summary: 'Who the token belongs to',
        response: { 200: meResponse, 401: errorBody },
      },
    },
    async (request) => {
      const p = request.principal!;
      const user = p.userId ? await repo.findUserById(db, p.userId) : undefined;
      const workspace = p.workspace ? await repo.findWorkspace(db, p.workspace.id) : undefined;
      const creator = p.creatorId ? await findCreatorById(db, p.creatorId) : undefined;
      return {
        user: user ?? null,
        workspace: workspace && p.workspace ? { ...workspace, role: p.workspace.role } : null,
        creator: creator ? publicCreator(creator) : null,
        via: p.via,
      };
    },
  );

  app.post(
    '/api/v1/api-keys',
    {
      config: { access: 'brandOrCreator' },
      schema: {
        tags: ['accounts'],
        summary: "Create an API key for the caller's workspace or creator account; the key is shown once",
        body: createApiKeyBody,
        response: { 201: createdApiKeySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { apiKey, key } = await accounts.createApiKey(request.principal!, request.body);
      return reply.status(201).send({ ...apiKey, key });
    },
  );

  app.get(
    '/api/v1/api-keys',
    {
      config: { access: 'brandOrCreator' },
      schema: {
        tags: ['accounts'],
        summary: "List the caller's active API keys (never the keys themselves)",
        response: { 200: listOf(apiKeySchema), ...errorResponses },
      },
    },
    async (request) => ({ data: await accounts.listApiKeys(request.principal!), nextCursor: null }),
  );

  app.delete(
    '/api/v1/api-keys/:id',
    {
      config: { access: 'brandOrCreator', resource: 'apiKey' },
      schema: {
        tags: ['accounts'],
        summary: 'Revoke an API key',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await accounts.revokeApiKey(request.principal!, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/admin/brand-invitations',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['operator'],
        summary:
          'Invite a brand to sign up where brand signup is by invitation; the code is shown once (operator only)',
        body: z.strictObject({ email: email.optional() }),
        response: {
          201: z
            .object({ id: z.string(), code: z.string(), email: z.string().nullable(), expiresAt: z.string() })
            .meta({ id: 'BrandInvitation' }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await accounts.inviteBrand({
          email: request.body.email ?? null,
          createdBy: request.principal?.userId ?? request.principal?.credentialId ?? 'operator',
        }),
      ),
  );

  app.get(
    '/api/v1/admin/workspaces',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['operator'],
        summary: 'Every workspace on the instance (operator only)',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(200).optional(),
        }),
        response: {
          200: listOf(
            z.object({ id: z.string(), name: z.string(), country: z.string().nullable(), createdAt: z.string() }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      return page(await repo.listAllWorkspaces(db, limit + 1, decodeCursor(cursor)), limit);
    },
  );
};
