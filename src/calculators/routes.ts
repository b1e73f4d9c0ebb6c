import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBody, errorResponses } from '../http/schemas.js';
import { paidAdsPlanSchema, paidAdsQuery } from './paid-ads-schemas.js';
import type { PaidAdsService } from './paid-ads-service.js';

export const calculatorRoutes: FastifyPluginAsyncZod<{ paidAds: PaidAdsService }> = async (app, { paidAds }) => {
  app.get(
    '/api/v1/calculators/paid-ads',
    {
      config: { access: 'any' },
      schema: {
        tags: ['analytics'],
        summary: 'What boosting a video as a Spark Ad would return',
        description:
          "impressions = budget / cpm × 1000, clicks = impressions × CTR, sales = clicks × conversion rate, revenue = sales × average order value, commission = revenue × commission rate, roas = revenue / budget, profit = revenue × margin − commission − budget. A CPM under 10 USD or a budget under 500 USD (converted with the operator's exchange rates) is answered 422 BELOW_PLATFORM_MINIMUM. With contentId, CTR, conversion rate and order value default to the video's measured ones.",
        querystring: paidAdsQuery,
        response: { 200: paidAdsPlanSchema, ...errorResponses, 422: errorBody },
      },
    },
    async (request) => paidAds.plan(request.principal!, request.query),
  );
};
