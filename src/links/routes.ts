import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { linkStatsSchema, statsQuery } from '../clicks/schemas.js';
import { linkStats } from '../clicks/stats.js';
import type { Db } from '../db/database.js';
import { decodeCursor, errorBody, errorResponses, idParams, listOf, page } from '../http/schemas.js';
import { createLinkBody, linkHistorySchema, linkSchema, listLinksQuery, qrQuery, updateLinkBody } from './schemas.js';
import type { LinksService } from './service.js';

/** The QR code library, loaded on the first QR request rather than at start-up. */
const qrcode = async () => (await import('qrcode')).default;

export const linkRoutes: FastifyPluginAsyncZod<{ links: LinksService; db: Db }> = async (app, { links, db }) => {
  const config = { access: 'brandOrCreator' as const, resource: 'link' as const };

  app.post(
    '/api/v1/links',
    {
      config: { access: 'brandOrCreator' },
      schema: {
        tags: ['links'],
        summary: 'Create a tracked link (a brand for an approved creator, or a creator for itself)',
        body: createLinkBody,
        response: { 201: linkSchema, ...errorResponses, 409: errorBody, 422: errorBody },
      },
    },
    async (request, reply) => reply.status(201).send(await links.create(request.principal!, request.body)),
  );

  app.get(
    '/api/v1/links',
    {
      config: { access: 'brandOrCreator' },
      schema: {
        tags: ['links'],
        summary: "List links: a brand's workspace links or a creator's own",
        querystring: listLinksQuery,
        response: { 200: listOf(linkSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, ...filters } = request.query;
      return page(
        await links.list(request.principal!, { limit: limit + 1, before: decodeCursor(cursor), ...filters }),
        limit,
      );
    },
  );

  app.get(
    '/api/v1/links/:id',
    {
      config,
      schema: {
        tags: ['links'],
        summary: 'Read a link with the history of its destinations',
        params: idParams,
        response: { 200: linkSchema.extend({ history: z.array(linkHistorySchema) }), ...errorResponses },
      },
    },
    async (request) => links.get(request.principal!, request.params.id),
  );

  app.patch(
    '/api/v1/links/:id',
    {
      config,
      schema: {
        tags: ['links'],
        summary: 'Change, enable, disable or expire a link; a new destination is kept in its history',
        params: idParams,
        body: updateLinkBody,
        response: { 200: linkSchema, ...errorResponses, 422: errorBody },
      },
    },
    async (request) => links.update(request.principal!, request.params.id, request.body),
  );

  app.delete(
    '/api/v1/links/:id',
    {
      config,
      schema: {
        tags: ['links'],
        summary: 'Delete a link: it answers 410 from now on and its slug is never reused',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await links.remove(request.principal!, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/links/:id/qr',
    {
      config,
      schema: {
        tags: ['links'],
        summary: 'QR code of the short link (SVG or PNG); a scan is recorded with placement qr',
        params: idParams,
        querystring: qrQuery,
        response: { 200: z.any().meta({ description: 'image/svg+xml or image/png' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const link = await links.find(request.principal!, request.params.id);
      const { format, size, margin } = request.query;
      const url = `${links.present(link).shortUrl}?via=qr`;
      reply.header('cache-control', 'private, max-age=300');
      reply.header('content-disposition', `inline; filename="${link.slug.replaceAll('/', '-')}.${format}"`);
      if (format === 'png') {
        return reply
          .type('image/png')
          .send(await (await qrcode()).toBuffer(url, { type: 'png', width: size, margin, errorCorrectionLevel: 'M' }));
      }
      return reply
        .type('image/svg+xml; charset=utf-8')
        .send(await (await qrcode()).toString(url, { type: 'svg', width: size, margin, errorCorrectionLevel: 'M' }));
    },
  );

  app.get(
    '/api/v1/links/:id/stats',
    {
      config,
      schema: {
        tags: ['links'],
        summary: 'Clicks, unique clicks and bot clicks of a link, by day, country, device and referrer',
        params: idParams,
        querystring: statsQuery,
        response: { 200: linkStatsSchema, ...errorResponses },
      },
    },
    async (request) => {
      // The route's ownership check has passed: the link and its rollups are read together.
      const [, stats] = await Promise.all([
        links.find(request.principal!, request.params.id),
        linkStats(db, request.params.id, request.query),
      ]);
      return stats;
    },
  );
};
