import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, errorBody, errorResponses, idParams, listOf, page } from '../http/schemas.js';
import {
  contentSchema,
  createContentBody,
  listContentsQuery,
  listViewsQuery,
  recordViewsBody,
  viewCountSchema,
} from './schemas.js';
import type { ContentsService } from './service.js';

export const contentRoutes: FastifyPluginAsyncZod<{ contents: ContentsService }> = async (app, { contents }) => {
  app.post(
    '/api/v1/contents',
    {
      config: { access: 'creator' },
      schema: {
        tags: ['contents'],
        summary: 'Register a video or post, so that links and codes can be per video',
        body: createContentBody,
        response: { 201: contentSchema, ...errorResponses, 409: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => reply.status(201).send(await contents.create(request.principal!, request.body)),
  );

  app.get(
    '/api/v1/contents',
    {
      config: { access: 'brandOrCreator' },
      schema: {
        tags: ['contents'],
        summary: "A creator's own videos and posts; for a brand, those of creators in its programs",
        querystring: listContentsQuery,
        response: { 200: listOf(contentSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, ...filters } = request.query;
      return page(
        await contents.list(request.principal!, { limit: limit + 1, before: decodeCursor(cursor), ...filters }),
        limit,
      );
    },
  );

  app.get(
    '/api/v1/contents/:id',
    {
      config: { access: 'brandOrCreator', resource: 'content' },
      schema: {
        tags: ['contents'],
        summary: 'Read a video or post',
        params: idParams,
        response: { 200: contentSchema, ...errorResponses },
      },
    },
    async (request) => contents.get(request.principal!, request.params.id),
  );

  app.delete(
    '/api/v1/contents/:id',
    {
      config: { access: 'creator', resource: 'content' },
      schema: {
        tags: ['contents'],
        summary: 'Remove a video or post; links to it keep working without it',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await contents.remove(request.principal!, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/contents/:id/views',
    {
      config: { access: 'brandOrCreator', resource: 'content' },
      schema: {
        tags: ['contents'],
        summary: "Record a video's or post's view count at a time, for its CTR and GPM",
        description:
          'The count the platform shows (a running total). A second count at the same time replaces the first. The creator, or a manager of a brand whose programs the creator is in.',
        params: idParams,
        body: recordViewsBody,
        response: { 201: viewCountSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await contents.recordViews(request.principal!, request.params.id, request.body)),
  );

  app.get(
    '/api/v1/contents/:id/views',
    {
      config: { access: 'brandOrCreator', resource: 'content' },
      schema: {
        tags: ['contents'],
        summary: "A video's or post's view counts over time, oldest first",
        params: idParams,
        querystring: listViewsQuery,
        response: { 200: z.object({ data: z.array(viewCountSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ data: await contents.views(request.principal!, request.params.id, request.query) }),
  );
};
