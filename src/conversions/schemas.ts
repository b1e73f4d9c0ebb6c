import { z } from 'zod';
import { commissionSchema } from '../commissions/schemas.js';
import { timestamp } from '../http/schemas.js';
import { currency } from '../programs/schemas.js';
import { MAX_AMOUNT } from '../shared/money.js';

const amount = z.number().int('must be a whole number of minor units').min(0, 'must not be negative').max(MAX_AMOUNT);
const externalId = z.string().trim().min(1).max(200);
const optionalText = z.string().trim().min(1).max(200).optional();

export const trackSaleBody = z
  .strictObject({
    programId: z.string().min(1).max(64),
    orderId: externalId.meta({ description: "The shop's order id: the same id twice is one sale" }),
    clickId: z.string().max(64).optional().meta({ description: 'The kclid the shop kept (window.kumppani.clickId())' }),
    customerId: optionalText,
    customerEmail: z.email().max(320).optional(),
    couponCode: z.string().trim().min(1).max(64).optional(),
    couponCodes: z.array(z.string().trim().min(1).max(64)).max(10).optional(),
    currency,
    occurredAt: z.iso.datetime({ offset: true }).optional(),
    subscriptionId: optionalText,
    referrer: z.string().max(2048).optional(),
    lines: z
      .array(
        z.strictObject({
          productId: optionalText.meta({ description: 'prd_… or the product’s external id' }),
          lineId: optionalText,
          name: optionalText,
          amount: amount.meta({
            description: "The line's net total in minor units: after discounts, without tax and shipping",
          }),
          quantity: z.number().int().min(1).max(1_000_000).default(1),
          discountAmount: amount.optional(),
        }),
      )
      .min(1)
      .max(500),
  })
  .meta({ id: 'TrackSale' });

export const trackLeadBody = z
  .strictObject({
    programId: z.string().min(1).max(64),
    leadId: externalId.meta({ description: 'Your id of the lead (a signup, say): the same id twice is one lead' }),
    clickId: z.string().max(64).optional(),
    customerId: optionalText,
    customerEmail: z.email().max(320).optional(),
    couponCode: z.string().trim().min(1).max(64).optional(),
    occurredAt: z.iso.datetime({ offset: true }).optional(),
  })
  .meta({ id: 'TrackLead' });

export const trackRefundBody = z
  .strictObject({
    programId: z.string().min(1).max(64),
    orderId: externalId,
    refundId: externalId.meta({ description: 'Your id of the refund: the same id twice is one refund' }),
    currency: currency.optional(),
    occurredAt: z.iso.datetime({ offset: true }).optional(),
    lines: z
      .array(
        z
          .strictObject({ productId: optionalText, lineId: optionalText, amount })
          .refine((l) => l.productId || l.lineId, 'name the line by productId or lineId'),
      )
      .min(1)
      .max(500)
      .optional(),
    amount: amount.optional().meta({ description: 'A refund of this much, spread over the order by amount' }),
  })
  .refine((b) => b.lines !== undefined || b.amount !== undefined, { message: 'give lines or an amount' })
  .meta({ id: 'TrackRefund' });

export const conversionLineSchema = z.object({
  lineNo: z.number().int(),
  lineId: z.string().nullable(),
  productId: z.string().nullable(),
  externalProductId: z.string().nullable(),
  name: z.string().nullable(),
  quantity: z.number().int(),
  amount: z.number().int(),
  refundedAmount: z.number().int(),
});

export const conversionSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['sale', 'lead']),
    programId: z.string(),
    orderId: z.string(),
    source: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    originalAmount: z.number().int(),
    originalCurrency: z.string(),
    exchangeRate: z.string().nullable(),
    attribution: z.enum(['code', 'click', 'customer']).nullable(),
    creatorId: z.string().nullable(),
    evidence: z.record(z.string(), z.unknown()).meta({ description: 'Why the winning rule won, or why none did' }),
    clickId: z.string().nullable(),
    code: z.string().nullable(),
    customerId: z.string().nullable(),
    subscriptionId: z.string().nullable(),
    occurredAt: timestamp,
    createdAt: timestamp,
    lines: z.array(conversionLineSchema),
    commissions: z.array(commissionSchema),
  })
  .meta({ id: 'Conversion' });

export type ConversionView = z.infer<typeof conversionSchema>;

export const trackResultSchema = z
  .object({
    duplicate: z.boolean(),
    status: z.enum(['recorded', 'duplicate', 'unattributed', 'refund_waiting_for_sale']),
    summary: z.string(),
    commissionIds: z.array(z.string()),
    conversion: conversionSchema.nullable(),
  })
  .meta({ id: 'TrackResult' });
