import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { isId } from '../shared/ids.js';
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

/** The program a request names, read leniently: anything that cannot be a program id is none. */
function programOf(query: unknown): string | undefined {
  const given = (query as Record<string, unknown> | undefined)?.program;
  const value = Array.isArray(given) ? given[0] : given;
  return typeof value === 'string' && isId('program', value) ? value : undefined;
}

/**
 * `GET /k.js`, the snippet shops include on their pages. It is loaded from the shops' own
 * domains, so unlike every other response it may be read cross-origin. With `?program=prg_…`
 * the body keeps click ids for that program's attribution window unless the page says
 * otherwise. Whatever the query, the answer is a script: an unknown program, a malformed query
 * or a failed lookup gets the default window rather than an error, so that nothing on the
 * Kumppani side stops a shop from keeping its visitors' click ids.
 */
export const snippetRoutes: FastifyPluginAsyncZod<SnippetOptions> = async (app, { windowOf }) => {
  app.get('/k.js', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const programId = programOf(request.query);
    let days: number | undefined;
    let lookupFailed = false;
    if (programId) {
      try {
        days = await windowOf(programId);
      } catch (err) {
        request.log.error(
          { err, programId },
          "the program's attribution window could not be read; /k.js serves the default",
        );
        lookupFailed = true;
      }
    }
    const { body, etag } = bodyFor(days ?? DEFAULT_WINDOW_DAYS);
    // A fallback after a failed lookup is kept briefly, so that the program's window follows soon.
    reply.header('cache-control', lookupFailed ? 'public, max-age=60' : 'public, max-age=3600');
    reply.header('etag', etag);
    reply.header('cross-origin-resource-policy', 'cross-origin');
    reply.header('access-control-allow-origin', '*');
    if (matches(request.headers['if-none-match'], etag)) return reply.status(304).send();
    return reply.type('application/javascript; charset=utf-8').send(body);
  });
};
