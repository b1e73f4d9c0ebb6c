import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEFAULT_WINDOW_DAYS, snippetFor } from './source.js';

interface Served {
  body: string;
  etag: string;
}

/** The body and ETag for each default window asked for so far: at most 365 of them. */
const served = new Map<number, Served>();

function bodyFor(days: number): Served {
  let found = served.get(days);
  if (!found) {
    const body = snippetFor(days);
    found = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
    served.set(days, found);
  }
  return found;
}

/** Whether an If-None-Match header names the current body (`*`, a list, weak or strong tags). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const value = tag.trim();
    return value === '*' || value.replace(/^W\//, '') === etag;
  });
}

export interface SnippetOptions {
  /** The attribution window of an active program in days; undefined for an unknown or archived one. */
  windowOf: (programId: string) => Promise<number | undefined>;
}

// Anything else in the query (`window`, which the script reads itself) is left alone.
const snippetQuery = z.looseObject({ program: z.string().max(64).optional() });

/**
 * `GET /k.js`, the snippet shops include on their pages. It is loaded from the shops' own
 * domains, so unlike every other response it may be read cross-origin. With `?program=prg_…`
 * the body keeps click ids for that program's attribution window unless the page says
 * otherwise; an unknown program gets the default window rather than no snippet, so a typo
 * never stops a shop from keeping its visitors' click ids.
 */
export const snippetRoutes: FastifyPluginAsyncZod<SnippetOptions> = async (app, { windowOf }) => {
  app.get(
    '/k.js',
    { config: { access: 'public' }, schema: { hide: true, querystring: snippetQuery } },
    async (request, reply) => {
      const programId = request.query.program;
      const days = (programId ? await windowOf(programId) : undefined) ?? DEFAULT_WINDOW_DAYS;
      const { body, etag } = bodyFor(days);
      reply.header('cache-control', 'public, max-age=3600');
      reply.header('etag', etag);
      reply.header('cross-origin-resource-policy', 'cross-origin');
      reply.header('access-control-allow-origin', '*');
      if (matches(request.headers['if-none-match'], etag)) return reply.status(304).send();
      return reply.type('application/javascript; charset=utf-8').send(body);
    },
  );
};
