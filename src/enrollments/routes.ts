import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decodeCursor, errorBody, errorResponses, idParams, listOf, page } from '../http/schemas.js';
import {
  createEnrollmentBody,
  enrollmentDetailSchema,
  enrollmentSchema,
  listEnrollmentsQuery,
  updateEnrollmentBody,
} from './schemas.js';
import { callerOf, type EnrollmentsService } from './service.js';

/**
 * Brands and creators share these paths, so they take `brandOrCreator` access and the service
 * scopes every read and write to the caller: a brand's workspace, or a creator's own enrollments.
 * Anything else answers 404, as for a missing enrollment.
 */
export const enrollmentRoutes: FastifyPluginAsyncZod<{ enrollments: EnrollmentsService }> = async (
  app,
  { enrollments },
) => {
  app.post(
    '/api/v1/programs/:id/enrollments',
    {
      config: { access: 'brandOrCreator', resource: 'applicableProgram' },
      schema: {
        tags: ['enrollments'],
        summary: 'A creator applies to an open program, or a brand invites a creator by email',
        params: idParams,
        body: createEnrollmentBody,
        response: { 201: enrollmentDetailSchema, ...errorResponses, 409: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const enrollment = await enrollments.create(callerOf(request.principal), request.params.id, request.body);
      return reply.status(201).send(enrollment);
    },
  );

  app.get(
    '/api/v1/enrollments',
    {
      config: { access: 'brandOrCreator' },
      schema: {
        tags: ['enrollments'],
        summary: "A brand's enrollments (all its programs), or a creator's own",
        querystring: listEnrollmentsQuery,
        response: { 200: listOf(enrollmentSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, programId, status } = request.query;
      const rows = await enrollments.list(callerOf(request.principal), {
        limit: limit + 1,
        before: decodeCursor(cursor),
        programId,
        status,
      });
      return page(rows, limit);
    },
  );

  app.get(
    '/api/v1/enrollments/:id',
    {
      config: { access: 'brandOrCreator', resource: 'enrollment' },
      schema: {
        tags: ['enrollments'],
        summary: 'Read an enrollment with its history',
        params: idParams,
        response: { 200: enrollmentDetailSchema, ...errorResponses },
      },
    },
    async (request) => enrollments.get(callerOf(request.principal), request.params.id),
  );

  app.patch(
    '/api/v1/enrollments/:id',
    {
      config: { access: 'brandOrCreator', resource: 'enrollment' },
      schema: {
        tags: ['enrollments'],
        summary:
          "Approve, reject or suspend (brand), accept or decline an invitation (creator), or set the creator's rate",
        params: idParams,
        body: updateEnrollmentBody,
        response: { 200: enrollmentDetailSchema, ...errorResponses, 409: errorBody, 422: errorBody },
      },
    },
    async (request) => enrollments.update(callerOf(request.principal), request.params.id, request.body),
  );
};
