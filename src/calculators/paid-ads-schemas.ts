import { z } from 'zod';
import { isCurrencyCode } from '../shared/money.js';

const amount = (description: string) => z.coerce.number().int().min(0).max(1e13).meta({ description });
const bps = (description: string) => z.coerce.number().int().min(0).max(10_000).meta({ description });

export const paidAdsQuery = z.strictObject({
  budget: amount('Campaign budget, in minor units of `currency`; TikTok asks at least 500 USD').pipe(z.number().min(1)),
  cpm: amount('Cost per 1,000 impressions, in minor units; TikTok asks at least 10 USD').pipe(z.number().min(1)),
  ctrBps: bps("Clicks per impression, in basis points; by default the video's measured CTR").optional(),
  conversionRateBps: bps("Sales per click, in basis points; by default the video's measured rate").optional(),
  averageOrderValue: amount("Average order value, in minor units; by default the video's measured one").optional(),
  commissionBps: bps("The creator's commission rate, in basis points"),
  marginBps: bps("The brand's gross margin on revenue, in basis points"),
  currency: z
    .string()
    .transform((c) => c.toUpperCase())
    .refine(isCurrencyCode, 'an ISO 4217 currency code'),
  contentId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: 'A video whose measured rates fill the ones not given' }),
});

export type PaidAdsQuery = z.infer<typeof paidAdsQuery>;

export const paidAdsPlanSchema = z
  .object({
    currency: z.string(),
    ctrBps: z.number().int().meta({ description: 'The CTR used, given or measured' }),
    conversionRateBps: z.number().int().meta({ description: 'The conversion rate used, given or measured' }),
    averageOrderValue: z.number().int().meta({ description: 'The order value used, in minor units' }),
    impressions: z.number().meta({ description: 'budget / cpm × 1000 (two decimals)' }),
    clicks: z.number().meta({ description: 'impressions × CTR (two decimals)' }),
    sales: z.number().meta({ description: 'clicks × conversion rate (two decimals)' }),
    revenue: z.number().int().meta({ description: 'sales × average order value, in minor units' }),
    commission: z.number().int().meta({ description: 'revenue × commission rate, in minor units' }),
    roas: z.number().meta({ description: 'revenue / budget (four decimals)' }),
    profit: z.number().int().meta({ description: 'revenue × margin − commission − budget, in minor units' }),
  })
  .meta({ id: 'PaidAdsPlan' });
