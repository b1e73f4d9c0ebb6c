import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import { errorBody, errorHandler } from '../http/errors.js';
import { type Redirect, slugOfPath } from '../redirect/redirect.js';
import { AppError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { registerOpenApi } from './openapi.js';
import { addSecurityHeaders } from './security.js';

export interface FastifyDeps {
  config: Config;
  redis?: Redis | undefined;
  /** A pino logger option: true/false or options; defaults to the configured level. */
  logger?: boolean | object | undefined;
  /** The link redirect, once it is built; until then every request goes to the router. */
  redirect: () => Redirect | undefined;
}

/**
 * The HTTP application before its routes: the server, with link redirects answered before the
 * router; request ids; errors and not-found answers in the one error format; security headers;
 * rate limiting (shared over Redis when there is one); the OpenAPI document.
 */
export async function createFastify(deps: FastifyDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    // Link redirects are the hot path: a request for a slug goes straight to the redirect, which
    // sets its own headers; every other request goes through Fastify's routing, hooks and schemas.
    serverFactory: (handler) =>
      createServer((req: IncomingMessage, res: ServerResponse) => {
        const redirect = deps.redirect();
        const slug = redirect && (req.method === 'GET' || req.method === 'HEAD') ? slugOfPath(req.url) : undefined;
        if (slug !== undefined && redirect) redirect(req, res, slug);
        else handler(req, res);
      }),
    logger: deps.logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (config.trustProxy as number)
        : config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : newId('request');
    },
    requestIdHeader: false,
    ajv: undefined,
    routerOptions: { ignoreTrailingSlash: true },
    // Every route validates and serialises with zod: Fastify need not load its JSON-schema compilers.
    schemaController: {
      // The factories' types expect Ajv-shaped compilers; the zod ones take the same call.
      compilersFactory: {
        buildValidator: () => validatorCompiler as never,
        buildSerializer: () => serializerCompiler as never,
      },
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err, request, reply) => errorHandler(err, request as never, reply as never));
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(
        errorBody('ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`, String(request.id)),
      ),
  );
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });
  addSecurityHeaders(app as unknown as FastifyInstance);

  await app.register(rateLimit, {
    global: false,
    ...(deps.redis ? { redis: deps.redis, nameSpace: 'kumppani:ratelimit:' } : {}),
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s`),
  });
  await registerOpenApi(app as unknown as FastifyInstance, config.publicUrl);
  return app as unknown as FastifyInstance;
}
