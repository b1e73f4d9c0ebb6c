import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, errorResponses, idParams, listOf, page } from '../http/schemas.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { formatAmount } from '../shared/money.js';
import { workspaceScope } from '../shared/principal.js';
import { feeSchema, listFeesQuery, planBody, planSchema, reportQuery, reportSchema } from './schemas.js';
import type { NetworkFeesService, ReportRow } from './service.js';

function range(clock: Clock, q: { from?: string | undefined; to?: string | undefined }) {
  const today = clock.now().toISOString().slice(0, 10);
  const from = q.from ?? `${today.slice(0, 8)}01`;
  const to = q.to ?? today;
  if (to < from) {
    throw new AppError('VALIDATION_FAILED', 'The range ends before it starts', [
      { path: 'querystring.to', message: 'must not be before from' },
    ]);
  }
  return { from, to };
}

const csvCell = (v: string) => (/[",\n\r]/.test(v) || /^[=+\-@\t]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

export function reportCsv(rows: ReportRow[]): string {
  const head =
    'workspace_id,workspace_name,currency,sales,sales_amount,sale_fees,reversed_fees,setup_fees,monthly_fees,total';
  const lines = rows.map((r) =>
    [
      r.workspaceId,
      csvCell(r.workspaceName),
      r.currency,
      String(r.sales),
      formatAmount(r.salesAmount, r.currency),
      formatAmount(r.saleFees, r.currency),
      formatAmount(r.reversedFees, r.currency),
      formatAmount(r.setupFees, r.currency),
      formatAmount(r.monthlyFees, r.currency),
      formatAmount(r.total, r.currency),
    ].join(','),
  );
  return `${[head, ...lines].join('\r\n')}\r\n`;
}

export const networkFeeRoutes: FastifyPluginAsyncZod<{ fees: NetworkFeesService; clock: Clock }> = async (
  app,
  { fees, clock },
) => {
  app.put(
    '/api/v1/admin/workspaces/:id/network-fees',
    {
      config: { access: 'operator', resource: 'workspace' },
      schema: {
        tags: ['operator'],
        summary: "Set a brand workspace's network fees: setup fee, basis points of each attributed sale, monthly fee",
        params: idParams,
        body: planBody,
        response: { 200: planSchema, ...errorResponses },
      },
    },
    async (request) => fees.setPlan(request.params.id, request.body, request.principal?.userId ?? null),
  );

  app.get(
    '/api/v1/admin/workspaces/:id/network-fees',
    {
      config: { access: 'operator', resource: 'workspace' },
      schema: {
        tags: ['operator'],
        summary: "A brand workspace's network fees",
        params: idParams,
        response: { 200: planSchema, ...errorResponses },
      },
    },
    async (request) => fees.getPlan(request.params.id),
  );

  app.get(
    '/api/v1/admin/network-fees/report',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['operator'],
        summary: 'Network fees of every brand workspace over a range of days, as JSON or CSV',
        querystring: reportQuery,
        response: { 200: reportSchema.or(z.string()), ...errorResponses },
      },
    },
    async (request, reply) => {
      const report = await fees.report(range(clock, request.query));
      if (request.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="network-fees-${report.from}-${report.to}.csv"`)
          .send(reportCsv(report.data));
      }
      return report;
    },
  );

  app.get(
    '/api/v1/network-fees',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['network fees'],
        summary: "The network fees charged to the caller's workspace, newest first",
        querystring: listFeesQuery,
        response: { 200: listOf(feeSchema), ...errorResponses },
      },
    },
    async (request) => {
      const scope = workspaceScope(request.principal);
      const { limit, cursor } = request.query;
      const rows = await fees.list(scope.workspaceId, {
        ...range(clock, request.query),
        limit: limit + 1,
        before: decodeCursor(cursor),
      });
      return page(rows, limit);
    },
  );
};
