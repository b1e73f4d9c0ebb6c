import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../http/schemas.js';
import { exchangeRateBody, exchangeRateParams, exchangeRateSchema } from './schemas.js';
import type { ExchangeRatesService } from './service.js';

export const exchangeRateRoutes: FastifyPluginAsyncZod<{ exchangeRates: ExchangeRatesService }> = async (
  app,
  { exchangeRates },
) => {
  app.put(
    '/api/v1/exchange-rates/:from/:to',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['tracking'],
        summary: 'Set the rate that converts sales in one currency into a program in another (operator)',
        params: exchangeRateParams,
        body: exchangeRateBody,
        response: { 200: exchangeRateSchema, ...errorResponses },
      },
    },
    async (request) => exchangeRates.put(request.params.from, request.params.to, request.body.rate),
  );

  app.get(
    '/api/v1/exchange-rates',
    {
      config: { access: 'any' },
      schema: {
        tags: ['tracking'],
        summary: 'The exchange rates the operator maintains',
        response: { 200: z.object({ data: z.array(exchangeRateSchema) }), ...errorResponses },
      },
    },
    async () => ({ data: await exchangeRates.list() }),
  );
};
