import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where the install builds the web app (`vite build`, from `npm run build`): dist/web, from src/ and dist/ alike. */
export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/**
 * The web app's policy: its own scripts, styles, API and images only; creators' avatars come from
 * any https host, QR codes as blobs. React's style properties go through the CSSOM, which a
 * policy does not block, so no inline style is allowed.
 */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data: blob:; " +
  "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const missingPage =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kumppani</title></head><body>' +
  '<h1>The web app is not built</h1><p>Run <code>npm run build</code> (the install does it), then reload.</p></body></html>';

/**
 * The web app at /app: its hashed assets cached for a year, and index.html (no-cache) for every
 * other path under /app, so that a reload or a shared address of any page works (SPA fallback).
 * Every file comes from this server: no CDN.
 */
export async function webAppRoutes(app: FastifyInstance): Promise<void> {
  const built = existsSync(`${WEB_ROOT}index.html`);
  const index = built ? readFileSync(`${WEB_ROOT}index.html`) : undefined;
  const sendIndex = (reply: FastifyReply) =>
    index
      ? reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('content-security-policy', APP_CSP)
          .send(index)
      : reply.status(503).header('content-type', 'text/html; charset=utf-8').send(missingPage);

  await app.register(async (web) => {
    web.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), access: 'public' };
      route.schema = { ...(route.schema ?? {}), hide: true };
    });
    if (built) {
      await web.register(fastifyStatic, {
        root: WEB_ROOT,
        prefix: '/app/',
        wildcard: false,
        index: false,
        serve: true,
        cacheControl: false,
        setHeaders: (res, path) => {
          res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
          res.header('content-security-policy', APP_CSP);
          res.header('cross-origin-resource-policy', 'same-origin');
        },
      });
    }
    web.get('/app', async (_request, reply) => sendIndex(reply));
    // A page's address has no file name: a missing file (an old asset) is a 404, never the page.
    web.get('/app/*', async (request, reply) =>
      /\.[a-z0-9]+$/i.test(request.url.split('?')[0] ?? '') ? reply.callNotFound() : sendIndex(reply),
    );
  });
}
