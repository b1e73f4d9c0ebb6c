import { z } from 'zod';
import { timestamp } from '../http/schemas.js';
import { currency } from '../programs/schemas.js';

const amount = z.number().int('must be a whole number of minor units').min(0).max(Number.MAX_SAFE_INTEGER);

const isDay = (s: string) => {
  const d = new Date(`${s}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
export const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD')
  .refine(isDay, 'must be a day of the calendar')
  .meta({ example: '2026-12-01' });

export const planBody = z
  .strictObject({
    currency: currency.meta({ description: 'The currency of the setup and monthly fees' }),
    setupFeeAmount: amount.meta({ description: 'Charged once, when a plan with one is first set' }),
    saleFeeBps: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .meta({ description: "Basis points of each attributed sale, in the sale's program currency" }),
    monthlyFeeAmount: amount.nullable().optional().meta({ description: 'Charged for each month from startsOn' }),
    startsOn: day
      .optional()
      .meta({ description: 'The first day whose month is charged the monthly fee; default today' }),
  })
  .meta({ id: 'SetNetworkFees' });

export const planSchema = z
  .object({
    workspaceId: z.string(),
    currency: z.string(),
    setupFeeAmount: z.number().int(),
    saleFeeBps: z.number().int(),
    monthlyFeeAmount: z.number().int().nullable(),
    startsOn: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'NetworkFeePlan' });

export const feeSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    programId: z.string().nullable(),
    conversionId: z.string().nullable(),
    kind: z.enum(['setup', 'monthly', 'sale', 'reversal']),
    period: z.string().nullable(),
    baseAmount: z.number().int().meta({ description: 'The sale (or, for a reversal, what was refunded of it in all)' }),
    feeBps: z.number().int().nullable(),
    amount: z.number().int().meta({ description: 'Negative for a reversal' }),
    currency: z.string(),
    explanation: z.string(),
    at: timestamp,
  })
  .meta({ id: 'NetworkFee' });

export const rangeQuery = z.strictObject({
  from: day.optional().meta({ description: 'First day, included; default the first of this month' }),
  to: day.optional().meta({ description: 'Last day, included; default today' }),
});

export const listFeesQuery = rangeQuery.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const reportQuery = rangeQuery.extend({ format: z.enum(['json', 'csv']).default('json') });

export const reportRowSchema = z.object({
  workspaceId: z.string(),
  workspaceName: z.string(),
  currency: z.string(),
  sales: z.number().int().meta({ description: 'Attributed sales that carried a fee' }),
  salesAmount: z.number().int(),
  saleFees: z.number().int(),
  reversedFees: z.number().int().meta({ description: 'Fees given back with refunds (negative)' }),
  setupFees: z.number().int(),
  monthlyFees: z.number().int(),
  total: z.number().int(),
});

export const reportSchema = z
  .object({ from: z.string(), to: z.string(), data: z.array(reportRowSchema) })
  .meta({ id: 'NetworkFeeReport' });
