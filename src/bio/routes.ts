import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, errorResponses } from '../http/schemas.js';
import { notFound } from '../shared/errors.js';
import { languageOf } from './messages.js';
import { notFoundHtml } from './render.js';
import { bioPageSchema, codeCopyBody, putBioBody } from './schemas.js';
import type { BioService, RenderedPage } from './service.js';

function sendHtml(reply: FastifyReply, page: RenderedPage) {
  return reply
    .status(200)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', page.csp)
    .header('content-language', page.language)
    .header('cache-control', 'no-cache')
    .header('vary', 'Accept-Language, User-Agent')
    .send(page.html);
}

function sendMissing(reply: FastifyReply, acceptLanguage: string | undefined) {
  return reply
    .status(404)
    .header('content-type', 'text/html; charset=utf-8')
    .header(
      'content-security-policy',
      "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )
    .header('cache-control', 'no-store')
    .send(notFoundHtml(languageOf(acceptLanguage)));
}

export const bioRoutes: FastifyPluginAsyncZod<{ bio: BioService }> = async (app, { bio }) => {
  app.get(
    '/api/v1/creators/me/bio',
    {
      config: { access: 'creator' },
      schema: {
        tags: ['bio'],
        summary: "The creator's link-in-bio page, with each link's destination check and its codes' copies",
        response: { 200: bioPageSchema, ...errorResponses },
      },
    },
    async (request) => bio.mine(request.principal!),
  );

  app.put(
    '/api/v1/creators/me/bio',
    {
      config: { access: 'creator' },
      schema: {
        tags: ['bio'],
        summary: "Create or replace the creator's link-in-bio page at /@{handle}",
        description:
          'Links are shown in the order given and go through the tracked redirect with placement `bio`; each ' +
          "shows the creator's coupon code of its program, and an affiliate disclosure in the page's language.",
        body: putBioBody,
        response: { 200: bioPageSchema, 201: bioPageSchema, ...errorResponses, 409: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => {
      const { page, created } = await bio.put(request.principal!, request.body);
      return reply.status(created ? 201 : 200).send(page);
    },
  );

  const handleParams = z.object({ handle: z.string() });
  const visitOf = (headers: Record<string, string | string[] | undefined>) => ({
    acceptLanguage: typeof headers['accept-language'] === 'string' ? headers['accept-language'] : undefined,
    userAgent: typeof headers['user-agent'] === 'string' ? headers['user-agent'] : undefined,
  });

  app.get(
    '/@:handle',
    { config: { access: 'public' }, schema: { hide: true, params: handleParams } },
    async (request, reply) => {
      const visit = visitOf(request.headers);
      const page = await bio.render(request.params.handle.toLowerCase(), undefined, visit);
      return page ? sendHtml(reply, page) : sendMissing(reply, visit.acceptLanguage);
    },
  );

  app.get(
    '/@:handle/v/:contentId',
    {
      config: { access: 'public' },
      schema: { hide: true, params: z.object({ handle: z.string(), contentId: z.string() }) },
    },
    async (request, reply) => {
      const visit = visitOf(request.headers);
      const page = await bio.render(request.params.handle.toLowerCase(), request.params.contentId, visit);
      return page ? sendHtml(reply, page) : sendMissing(reply, visit.acceptLanguage);
    },
  );

  app.post(
    '/@:handle/copies',
    {
      config: { access: 'public', rateLimit: { max: 60, timeWindow: 60_000 } },
      schema: { hide: true, params: handleParams, body: codeCopyBody, response: { 204: z.null(), 404: errorBody } },
    },
    async (request, reply) => {
      if (!(await bio.countCopy(request.params.handle.toLowerCase(), request.body.codeId))) throw notFound('Code');
      return reply.status(204).send(null);
    },
  );
};
