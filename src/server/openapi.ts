import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const API_VERSION = '0.1.0';

/**
 * The OpenAPI document, built from every route's zod schemas; registered before the routes, so
 * that it sees them all. Each operation tells who may call it (`x-kumppani-access`) and, for a
 * path naming an object, its kind (`x-kumppani-resource`).
 */
export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kumppani API',
        version: API_VERSION,
        description:
          'The HTTP API of Kumppani, the self-hostable affiliate and creator-partnership platform. ' +
          'Amounts are integers in minor units of their currency; rates are basis points.',
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key (kpk_…) or a session token (kps_…)' },
        },
      },
      security: [{ bearerAuth: [] }],
    },
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const config = input.route.config as { access?: string; resource?: string } | undefined;
      const schema = out.schema as Record<string, unknown>;
      return {
        ...out,
        schema: {
          ...schema,
          'x-kumppani-access': config?.access ?? 'any',
          ...(config?.resource ? { 'x-kumppani-resource': config.resource } : {}),
        },
      } as typeof out;
    },
    transformObject: jsonSchemaTransformObject,
  });
}

/** The reference page at /docs with its bundled assets: public, and needing no network (no CDN). */
export async function registerReference(app: FastifyInstance): Promise<void> {
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), access: 'public' };
    });
    // The page's own policy: its bundled assets only, no request leaves the instance (no
    // validator badge, no CDN). `upgrade-insecure-requests` only when the page came over https:
    // over plain http it would send the page's assets to an https that is not there.
    docs.addHook('onSend', async (request, reply) => {
      const csp = (docs as unknown as { swaggerCSP: { script: string[]; style: string[] } }).swaggerCSP;
      reply.header(
        'content-security-policy',
        `default-src 'self'; base-uri 'self'; font-src 'self' data:; frame-ancestors 'self'; img-src 'self' data:; ` +
          `object-src 'none'; script-src 'self' ${csp.script.join(' ')}; script-src-attr 'none'; ` +
          `style-src 'self' ${csp.style.join(' ')}${request.protocol === 'https' ? '; upgrade-insecure-requests' : ''}`,
      );
    });
    await docs.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: false,
      uiConfig: { docExpansion: 'list', deepLinking: true, validatorUrl: null },
      theme: { title: 'Kumppani API reference' },
    });
  });
}

/** The document itself, at /api/v1/openapi.json. */
export function serveOpenApiDocument(app: FastifyInstance): void {
  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
