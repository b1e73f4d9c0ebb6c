import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, errorBody, errorResponses, idParams, listOf, page } from '../http/schemas.js';
import { workspaceScope } from '../shared/principal.js';
import { codeSchema, createCodeBody, listCodesQuery, rotateCodeBody, updateCodeBody } from './schemas.js';
import type { CodesService } from './service.js';

export const codeRoutes: FastifyPluginAsyncZod<{ codes: CodesService }> = async (app, { codes }) => {
  app.post(
    '/api/v1/programs/:id/codes',
    {
      config: { access: 'manager', resource: 'program' },
      schema: {
        tags: ['codes'],
        summary:
          'Give an approved creator a coupon code in the program (vanity or generated; unique whatever its case)',
        params: idParams,
        body: createCodeBody,
        response: { 201: codeSchema, ...errorResponses, 409: errorBody, 422: errorBody },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await codes.create(workspaceScope(request.principal), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/programs/:id/codes',
    {
      config: { access: 'viewer', resource: 'program' },
      schema: {
        tags: ['codes'],
        summary: "The program's coupon codes",
        params: idParams,
        querystring: listCodesQuery.omit({ programId: true }),
        response: { 200: listOf(codeSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, ...filters } = request.query;
      const rows = await codes.list(request.principal!, {
        limit: limit + 1,
        before: decodeCursor(cursor),
        programId: request.params.id,
        ...filters,
      });
      return page(rows, limit);
    },
  );

  app.get(
    '/api/v1/codes',
    {
      config: { access: 'brandOrCreator' },
      schema: {
        tags: ['codes'],
        summary: "A brand's codes, or a creator's own codes in every program",
        querystring: listCodesQuery,
        response: { 200: listOf(codeSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, ...filters } = request.query;
      return page(
        await codes.list(request.principal!, { limit: limit + 1, before: decodeCursor(cursor), ...filters }),
        limit,
      );
    },
  );

  app.get(
    '/api/v1/codes/:id',
    {
      config: { access: 'brandOrCreator', resource: 'code' },
      schema: {
        tags: ['codes'],
        summary: 'Read a coupon code',
        params: idParams,
        response: { 200: codeSchema, ...errorResponses },
      },
    },
    async (request) => codes.get(request.principal!, request.params.id),
  );

  app.patch(
    '/api/v1/codes/:id',
    {
      config: { access: 'manager', resource: 'code' },
      schema: {
        tags: ['codes'],
        summary: 'Disable or enable a code, or change its discount; a disabled code stops attributing at once',
        params: idParams,
        body: updateCodeBody,
        response: { 200: codeSchema, ...errorResponses, 409: errorBody },
      },
    },
    async (request) => codes.update(workspaceScope(request.principal), request.params.id, request.body),
  );

  app.post(
    '/api/v1/codes/:id/rotate',
    {
      config: { access: 'manager', resource: 'code' },
      schema: {
        tags: ['codes'],
        summary: 'Replace a leaked code: a new code for the same creator, the old one stops attributing at effectiveAt',
        params: idParams,
        body: rotateCodeBody,
        response: {
          201: z.object({ old: codeSchema, code: codeSchema }),
          ...errorResponses,
          409: errorBody,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await codes.rotate(workspaceScope(request.principal), request.params.id, request.body)),
  );
};
