import type { FastifyInstance } from 'fastify';
import { VisitorHasher } from '../clicks/visitor.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import { createRedirect, type Redirect, slugOfPath } from '../redirect/redirect.js';
import { clientAddress } from '../redirect/visitor-origin.js';
import type { Clock } from '../shared/clock.js';
import type { Infrastructure } from './infrastructure.js';

/**
 * The link redirect: the server answers a request for a slug with it before the router
 * (fastify.ts). The same redirect is also a route behind the router, for requests that do not
 * come through that server (app.inject in tests); reserved paths fall through to the JSON 404.
 */
export function mountRedirect(
  app: FastifyInstance,
  deps: { config: Config; db: Db; clock: Clock; infrastructure: Infrastructure },
): Redirect {
  const { infrastructure } = deps;
  const redirect = createRedirect({
    cache: infrastructure.links,
    writer: infrastructure.writer,
    hasher: new VisitorHasher(deps.db),
    clock: deps.clock,
    clientAddress: clientAddress(deps.config.trustProxy),
    country: infrastructure.country,
    log: app.log,
  });
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const slug = slugOfPath(request.raw.url);
    if (slug === undefined) return reply.callNotFound();
    reply.hijack();
    redirect(request.raw, reply.raw, slug);
  });
  return redirect;
}
