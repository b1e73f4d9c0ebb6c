import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../http/schemas.js';
import type { Principal } from '../shared/principal.js';
import { answerCsv } from './csv.js';
import { type Leaderboard, type LeaderboardQuery, leaderboardQuery, leaderboardSchema } from './leaderboards.js';
import { analyticsAnswerSchema, analyticsQuery, eventsQuery } from './schemas.js';
import type { AnalyticsService } from './service.js';

export const analyticsRoutes: FastifyPluginAsyncZod<{
  analytics: AnalyticsService;
  leaderboard: (principal: Principal, q: LeaderboardQuery) => Promise<Leaderboard>;
}> = async (app, { analytics, leaderboard }) => {
  app.get(
    '/api/v1/analytics/leaderboards',
    {
      config: { access: 'any' },
      schema: {
        tags: ['analytics'],
        summary:
          'Top creators, videos, links or codes by net GMV, sales, EPC or GPM, with the change against the previous period',
        description:
          'Ranking by EPC or GPM needs a minimum sample (minClicks, minViews, minSales), so that a video with 30 views and one sale is not the best GPM of the month. A creator sees only itself.',
        querystring: leaderboardQuery,
        response: { 200: leaderboardSchema, ...errorResponses },
      },
    },
    async (request) => leaderboard(request.principal!, request.query),
  );

  app.get(
    '/api/v1/analytics',
    {
      config: { access: 'any' },
      schema: {
        tags: ['analytics'],
        summary: 'Clicks, sales, commissions and views, grouped by time or a dimension, filtered',
        description:
          "A brand reads its workspace's programs, a creator only its own numbers, the instance operator the whole network. `format=csv` or `Accept: text/csv` answers the same rows as CSV, with a last row of totals.",
        querystring: analyticsQuery,
        response: { 200: analyticsAnswerSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const answer = await analytics.query(request.principal!, request.query);
      const csv =
        request.query.format === 'csv' ||
        (request.query.format === undefined && /\btext\/csv\b/.test(request.headers.accept ?? ''));
      if (!csv) return answer;
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="analytics.csv"')
          // A stream is sent as it is, never through the JSON serializer of the 200 schema.
          .send(answerCsv(answer) as unknown as typeof answer)
      );
    },
  );

  app.get(
    '/api/v1/analytics/events',
    {
      config: { access: 'any' },
      schema: {
        tags: ['analytics'],
        summary: "A period's raw clicks, conversions or commission entries as CSV, for the brand's own warehouse",
        description:
          'Streamed in id order with bounded memory. A creator gets only its own events. Amounts in minor units; times ISO 8601 UTC.',
        querystring: eventsQuery,
        response: { 200: z.string().meta({ description: 'text/csv' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const csv = await analytics.events(request.principal!, request.query);
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${request.query.kind}.csv"`)
          // A stream is sent as it is, never through the serializer.
          .send(csv as unknown as string)
      );
    },
  );
};
