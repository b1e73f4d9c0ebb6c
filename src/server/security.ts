import type { FastifyInstance } from 'fastify';
import { securityHeaders } from '../http/security-headers.js';

/**
 * The security headers of every answer of the API: nothing may be framed, loaded or submitted
 * from it; HTTPS is kept for a year. Link redirects set their own (redirect/redirect.ts).
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
  app.addHook('onRequest', (_request, reply, done) => {
    const raw = reply.raw;
    for (const [name, value] of security) raw.setHeader(name, value);
    done();
  });
}
