import { z } from 'zod';
import { currency } from '../programs/schemas.js';

/** A whole number in a query string: digits only, so that "", "1.5" and "1e3" are refused, not coerced. */
const whole = (min: number, max: number, description: string) =>
  z
    .string()
    .regex(/^\d{1,16}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .meta({ description });

export const breakEvenQuery = z.strictObject({
  setupFee: whole(0, Number.MAX_SAFE_INTEGER, 'One-off setup fee in minor units').default(0),
  setupMonths: whole(1, 120, 'Months over which the setup fee is spread').default(12),
  monthlyFee: whole(0, Number.MAX_SAFE_INTEGER, 'Monthly fee in minor units').default(0),
  networkFeeBps: whole(0, 10_000, "The network's fee on each attributed sale, in basis points"),
  averageOrderValue: whole(0, Number.MAX_SAFE_INTEGER, 'Average order value in minor units'),
  marginBps: whole(0, 10_000, 'Gross margin on a sale, in basis points'),
  commissionBps: whole(0, 10_000, "The creator's commission, in basis points of the sale"),
  currency,
});

export const breakEvenResponse = z
  .object({
    salesPerMonth: z.number().int().nullable().meta({
      description:
        'ceil((monthlyFee + setupFee / setupMonths) / (averageOrderValue × (marginBps − commissionBps − networkFeeBps) / 10000)); null when a sale contributes nothing',
    }),
    contributionPerSale: z
      .number()
      .int()
      .meta({ description: 'What one sale leaves after commission and network fee, in minor units (half to even)' }),
    feesPerMonth: z
      .number()
      .int()
      .meta({ description: "The monthly fee plus a month's share of the setup fee, in minor units (half to even)" }),
    currency: z.string(),
    reason: z.string().nullable().meta({ description: 'Why no number of sales covers the fees, when none does' }),
  })
  .meta({ id: 'BreakEven' });
