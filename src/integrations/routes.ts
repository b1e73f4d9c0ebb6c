import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, idParams } from '../http/schemas.js';
import { workspaceScope } from '../shared/principal.js';
import { integrationParams, integrationSchema, putIntegrationBody, testOrderSchema } from './schemas.js';
import type { IntegrationsService } from './service.js';

export const integrationRoutes: FastifyPluginAsyncZod<{ integrations: IntegrationsService }> = async (
  app,
  { integrations },
) => {
  app.put(
    '/api/v1/programs/:id/integrations/:platform',
    {
      config: { access: 'manager', resource: 'program' },
      schema: {
        tags: ['integrations'],
        summary:
          "Set the webhook signing secret and the test-order setting of the program's Shopify, Stripe or WooCommerce integration",
        params: integrationParams,
        body: putIntegrationBody,
        response: { 200: integrationSchema, ...errorResponses },
      },
    },
    async (request) =>
      integrations.put(workspaceScope(request.principal), request.params.id, request.params.platform, request.body),
  );

  app.get(
    '/api/v1/programs/:id/integrations/:platform/test-orders',
    {
      config: { access: 'viewer', resource: 'program' },
      schema: {
        tags: ['integrations'],
        summary: "The platform's test orders kept apart for the program, the latest first: they never earn",
        params: integrationParams,
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ data: z.array(testOrderSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      data: await integrations.testOrders(
        workspaceScope(request.principal),
        request.params.id,
        request.params.platform,
        request.query.limit,
      ),
    }),
  );

  app.get(
    '/api/v1/programs/:id/integrations',
    {
      config: { access: 'viewer', resource: 'program' },
      schema: {
        tags: ['integrations'],
        summary: "The program's integrations that have a secret (never the secret itself)",
        params: idParams,
        response: { 200: z.object({ data: z.array(integrationSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ data: await integrations.list(workspaceScope(request.principal), request.params.id) }),
  );

  app.delete(
    '/api/v1/programs/:id/integrations/:platform',
    {
      config: { access: 'manager', resource: 'program' },
      schema: {
        tags: ['integrations'],
        summary: 'Remove an integration and its secret',
        params: integrationParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await integrations.remove(workspaceScope(request.principal), request.params.id, request.params.platform);
      return reply.status(204).send(null);
    },
  );
};
