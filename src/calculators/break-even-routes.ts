import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBody } from '../http/schemas.js';
import { breakEven } from './break-even.js';
import { breakEvenQuery, breakEvenResponse } from './break-even-schemas.js';

export const breakEvenRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/calculators/break-even',
    {
      // A brand asks this before it has an account on the network: no data is read.
      config: { access: 'public' },
      schema: {
        tags: ['calculators'],
        summary: 'Sales a month that cover a network’s setup, monthly and per-sale fees',
        security: [],
        querystring: breakEvenQuery,
        response: { 200: breakEvenResponse, 400: errorBody },
      },
    },
    async (request) => breakEven(request.query),
  );
};
