import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { snippetSource } from './source.js';

const etag = `"${createHash('sha256').update(snippetSource).digest('base64url').slice(0, 22)}"`;

/** Whether an If-None-Match header names the current body (`*`, a list, weak or strong tags). */
function matches(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const value = tag.trim();
    return value === '*' || value.replace(/^W\//, '') === etag;
  });
}

/**
 * `GET /k.js`, the snippet shops include on their pages. It is loaded from the shops' own
 * domains, so unlike every other response it may be read cross-origin.
 */
export const snippetRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/k.js', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    reply.header('cache-control', 'public, max-age=3600');
    reply.header('etag', etag);
    reply.header('cross-origin-resource-policy', 'cross-origin');
    reply.header('access-control-allow-origin', '*');
    if (matches(request.headers['if-none-match'])) return reply.status(304).send();
    return reply.type('application/javascript; charset=utf-8').send(snippetSource);
  });
};
