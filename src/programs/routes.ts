import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decodeCursor, errorBody, errorResponses, idParams, listOf, page } from '../http/schemas.js';
import { AppError } from '../shared/errors.js';
import { workspaceScope } from '../shared/principal.js';
import { createProgramBody, listProgramsQuery, programSchema, updateProgramBody } from './schemas.js';
import type { ProgramsService } from './service.js';

export const programRoutes: FastifyPluginAsyncZod<{ programs: ProgramsService }> = async (app, { programs }) => {
  app.post(
    '/api/v1/programs',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['programs'],
        summary: 'Create a program',
        body: createProgramBody,
        response: { 201: programSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const program = await programs.create(workspaceScope(request.principal), request.body);
      return reply.status(201).send(program);
    },
  );

  app.get(
    '/api/v1/programs',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['programs'],
        summary: "List the workspace's programs",
        querystring: listProgramsQuery,
        response: { 200: listOf(programSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      const rows = await programs.list(workspaceScope(request.principal), {
        limit: limit + 1,
        before: decodeCursor(cursor),
        status,
      });
      return page(rows, limit);
    },
  );

  app.get(
    '/api/v1/programs/open',
    {
      config: { access: 'creator' },
      schema: {
        tags: ['programs'],
        summary: 'Programs open to applications that the creator has not joined or applied to, newest first',
        description:
          "Their terms, without the brand's payout account. Apply with POST /api/v1/programs/{id}/enrollments.",
        querystring: listProgramsQuery.omit({ status: true }),
        response: { 200: listOf(programSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const creatorId = request.principal?.creatorId;
      if (!creatorId) throw new AppError('FORBIDDEN', 'This needs a creator account');
      return page(await programs.listOpen(creatorId, { limit: limit + 1, before: decodeCursor(cursor) }), limit);
    },
  );

  app.get(
    '/api/v1/programs/:id',
    {
      config: { access: 'brandOrCreator', resource: 'readableProgram' },
      schema: {
        tags: ['programs'],
        summary: 'Read a program',
        description:
          'A brand reads its own programs. A creator reads the terms of a program it is enrolled in (whatever ' +
          "the status) or that is open to applications, without the brand's payout account.",
        params: idParams,
        response: { 200: programSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = request.principal!;
      if (principal.workspace) return programs.get(workspaceScope(principal), request.params.id);
      return programs.getForCreator(principal.creatorId!, request.params.id);
    },
  );

  app.patch(
    '/api/v1/programs/:id',
    {
      config: { access: 'manager', resource: 'program' },
      schema: {
        tags: ['programs'],
        summary: 'Change a program',
        params: idParams,
        body: updateProgramBody,
        response: { 200: programSchema, ...errorResponses, 422: errorBody },
      },
    },
    async (request) => programs.update(workspaceScope(request.principal), request.params.id, request.body),
  );

  app.post(
    '/api/v1/programs/:id/archive',
    {
      config: { access: 'manager', resource: 'program' },
      schema: {
        tags: ['programs'],
        summary: 'Archive a program: it keeps its history but takes no new links, products or sales',
        params: idParams,
        response: { 200: programSchema, ...errorResponses },
      },
    },
    async (request) => programs.setArchived(workspaceScope(request.principal), request.params.id, true),
  );

  app.post(
    '/api/v1/programs/:id/restore',
    {
      config: { access: 'manager', resource: 'program' },
      schema: {
        tags: ['programs'],
        summary: 'Restore an archived program',
        params: idParams,
        response: { 200: programSchema, ...errorResponses },
      },
    },
    async (request) => programs.setArchived(workspaceScope(request.principal), request.params.id, false),
  );
};
