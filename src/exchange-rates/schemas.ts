import { z } from 'zod';
import { timestamp } from '../http/schemas.js';
import { currency } from '../programs/schemas.js';

export const exchangeRateParams = z.strictObject({ from: currency, to: currency });
export const exchangeRateBody = z
  .strictObject({
    rate: z
      .string()
      .regex(/^\d{1,12}(\.\d{1,12})?$/, 'a positive decimal such as "0.9214"')
      .refine((r) => Number(r) > 0, 'must be above zero'),
  })
  .meta({ id: 'PutExchangeRate' });
export const exchangeRateSchema = z
  .object({ from: z.string(), to: z.string(), rate: z.string(), updatedAt: timestamp })
  .meta({ id: 'ExchangeRate', description: '1 unit of `from` is `rate` units of `to`' });
