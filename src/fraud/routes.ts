import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { codeViewerOf } from '../codes/service.js';
import { decodeCursor, errorBody, errorResponses, idParams, listOf, page } from '../http/schemas.js';
import { workspaceScope } from '../shared/principal.js';
import {
  codeAlertSchema,
  codeHealthSchema,
  fraudSettingsBody,
  fraudSettingsSchema,
  healthQuery,
  listAlertsQuery,
  resolveAlertBody,
} from './schemas.js';
import type { FraudService } from './service.js';

export const fraudRoutes: FastifyPluginAsyncZod<{ fraud: FraudService }> = async (app, { fraud }) => {
  app.get(
    '/api/v1/programs/:id/fraud-settings',
    {
      config: { access: 'viewer', resource: 'program' },
      schema: {
        tags: ['fraud'],
        summary: "The program's fraud settings: the click-spam threshold and the coupon sites beyond the built-in list",
        params: idParams,
        response: { 200: fraudSettingsSchema, ...errorResponses },
      },
    },
    async (request) => fraud.getSettings(workspaceScope(request.principal), request.params.id),
  );

  app.put(
    '/api/v1/programs/:id/fraud-settings',
    {
      config: { access: 'manager', resource: 'program' },
      schema: {
        tags: ['fraud'],
        summary: "Change the program's fraud settings",
        params: idParams,
        body: fraudSettingsBody,
        response: { 200: fraudSettingsSchema, ...errorResponses },
      },
    },
    async (request) => fraud.putSettings(workspaceScope(request.principal), request.params.id, request.body),
  );

  app.get(
    '/api/v1/programs/:id/code-alerts',
    {
      config: { access: 'viewer', resource: 'program' },
      schema: {
        tags: ['fraud'],
        summary: "Alerts of possibly leaked codes: while one is open, the code's new commissions are held",
        params: idParams,
        querystring: listAlertsQuery,
        response: { 200: listOf(codeAlertSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      const rows = await fraud.listAlerts(workspaceScope(request.principal), request.params.id, {
        limit: limit + 1,
        before: decodeCursor(cursor),
        status,
      });
      return page(rows, limit);
    },
  );

  app.post(
    '/api/v1/code-alerts/:id/resolve',
    {
      config: { access: 'manager', resource: 'codeAlert' },
      schema: {
        tags: ['fraud'],
        summary: 'Resolve a code alert: not_leaked releases what it held; leaked leaves it held for review',
        params: idParams,
        body: resolveAlertBody,
        response: { 200: codeAlertSchema, ...errorResponses, 422: errorBody },
      },
    },
    async (request) =>
      fraud.resolve(
        workspaceScope(request.principal),
        request.params.id,
        request.principal?.userId ?? request.principal?.credentialId ?? 'unknown',
        request.body.resolution,
        request.body.note,
      ),
  );

  app.get(
    '/api/v1/codes/:id/health',
    {
      config: { access: 'brandOrCreator', resource: 'code' },
      schema: {
        tags: ['fraud'],
        summary:
          'How a code is used: uses per day, the share without a click from the creator’s links, referrers, countries, new customers, against its own baseline',
        params: idParams,
        querystring: healthQuery,
        response: { 200: codeHealthSchema, ...errorResponses },
      },
    },
    async (request) => fraud.health(codeViewerOf(request.principal!), request.params.id, request.query.days),
  );
};
