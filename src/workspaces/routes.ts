import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { email } from '../accounts/schemas.js';
import type { Db } from '../db/database.js';
import { errorBody, errorResponses, listOf, timestamp } from '../http/schemas.js';
import { AppError } from '../shared/errors.js';
import { workspaceScope } from '../shared/principal.js';
import type { MembersService } from './service.js';

const role = z.enum(['owner', 'manager', 'viewer']);
const memberSchema = z
  .object({ userId: z.string(), email: z.string(), name: z.string(), role, since: timestamp })
  .meta({ id: 'Member' });
const memberParams = z.strictObject({ id: z.string().min(1).max(64) });

export const workspaceRoutes: FastifyPluginAsyncZod<{ members: MembersService; db: Db }> = async (app, { members }) => {
  app.get(
    '/api/v1/workspace/members',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['workspace'],
        summary: "The workspace's members and their roles",
        response: { 200: listOf(memberSchema), ...errorResponses },
      },
    },
    async (request) => ({ data: await members.list(workspaceScope(request.principal)), nextCursor: null }),
  );

  app.post(
    '/api/v1/workspace/members',
    {
      config: { access: 'owner' },
      schema: {
        tags: ['workspace'],
        summary: 'Add a brand account to the workspace with a role (owner only)',
        body: z.strictObject({ email, role }).meta({ id: 'AddMember' }),
        response: { 201: memberSchema, ...errorResponses, 409: errorBody, 422: errorBody },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await members.add(workspaceScope(request.principal), request.body)),
  );

  app.patch(
    '/api/v1/workspace/members/:id',
    {
      config: { access: 'owner', resource: 'member' },
      schema: {
        tags: ['workspace'],
        summary: "Change a member's role (owner only); the last owner cannot step down",
        params: memberParams,
        body: z.strictObject({ role }),
        response: { 200: memberSchema, ...errorResponses, 422: errorBody },
      },
    },
    async (request) => members.changeRole(workspaceScope(request.principal), request.params.id, request.body.role),
  );

  app.delete(
    '/api/v1/workspace/members/:id',
    {
      config: { access: 'owner', resource: 'member' },
      schema: {
        tags: ['workspace'],
        summary: 'Remove a member (owner only); their sessions in this workspace end',
        params: memberParams,
        response: { 204: z.null(), ...errorResponses, 422: errorBody },
      },
    },
    async (request, reply) => {
      await members.remove(workspaceScope(request.principal), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/me/workspace',
    {
      config: { access: 'any' },
      schema: {
        tags: ['workspace'],
        summary: 'Switch the current session to another workspace the user belongs to',
        body: z.strictObject({ workspaceId: z.string().min(1).max(64) }),
        response: { 200: z.object({ workspaceId: z.string(), role }), ...errorResponses },
      },
    },
    async (request) => {
      const p = request.principal!;
      if (p.via !== 'session' || !p.userId) throw new AppError('FORBIDDEN', 'Only a session can switch workspaces');
      return members.switchWorkspace(p.userId, p.credentialId, request.body.workspaceId);
    },
  );
};
