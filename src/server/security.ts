import type { FastifyInstance } from 'fastify';
import { securityHeaders } from '../http/security-headers.js';

/**
 * The security headers of every answer of the API: nothing may be framed, loaded or submitted
 * from it; HTTPS is kept for a year (told on answers that came over https). Link redirects set their own (redirect/redirect.ts).
 */
export function addSecurityHeaders(app: FastifyInstance): void {
  const security = securityHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-site' },
    strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
  });
  // Set before any handler runs, so a route with its own policy (the API reference page) replaces it.
  // HSTS means something only over https: a request that came over plain http does not get it.
  app.addHook('onRequest', (request, reply, done) => {
    const raw = reply.raw;
    const https = request.protocol === 'https';
    for (const [name, value] of security) if (https || name !== 'strict-transport-security') raw.setHeader(name, value);
    done();
  });
}
