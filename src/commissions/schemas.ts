import { z } from 'zod';
import { listQuery, timestamp } from '../http/schemas.js';
import { rate } from '../programs/schemas.js';

export const commissionStatus = z.enum(['pending', 'approved', 'paid', 'reversed', 'rejected']);

export const commissionSchema = z
  .object({
    id: z.string().meta({ example: 'com_01jd8x3q6v0000000000000000' }),
    kind: z.enum(['sale', 'lead', 'reversal']),
    status: commissionStatus,
    amount: z.number().int().meta({ description: 'Minor units; negative for a reversal' }),
    currency: z.string(),
    creatorId: z.string(),
    programId: z.string(),
    conversionId: z.string(),
    orderId: z.string(),
    attribution: z.enum(['code', 'click', 'customer']).nullable(),
    explanation: z.string().meta({
      example:
        '12.00 € = 20 % of 60.00 € (Synergy leggings, after the 15 % DANA15 discount), code DANA15 of Dana Vaughan, product rate',
    }),
    lineNo: z.number().int().nullable(),
    baseAmount: z.number().int(),
    rate: rate.nullable(),
    rateSource: z.enum(['creator', 'product', 'tier', 'program']).nullable(),
    reversesId: z.string().nullable(),
    refundId: z.string().nullable(),
    hold: z
      .object({ reason: z.string(), detail: z.string().nullable() })
      .nullable()
      .meta({ description: 'Set while a fraud flag holds the commission for review; it is never approved until then' }),
    statusReason: z.string().nullable(),
    approveAfter: timestamp,
    payoutId: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Commission' });

export type Commission = z.infer<typeof commissionSchema>;

export const listCommissionsQuery = listQuery.extend({
  programId: z.string().max(64).optional(),
  creatorId: z.string().max(64).optional(),
  conversionId: z.string().max(64).optional(),
  status: commissionStatus.optional(),
  held: z.enum(['true', 'false']).optional(),
});

export const rejectBody = z
  .strictObject({ reason: z.string().trim().min(1).max(500) })
  .meta({ id: 'RejectCommission' });
export const releaseBody = z.strictObject({ note: z.string().trim().max(500).optional() }).meta({ id: 'ReleaseHold' });

export const balanceQuery = z.strictObject({ programId: z.string().min(1).max(64) });
export const balanceSchema = z
  .object({
    creatorId: z.string(),
    programId: z.string(),
    currency: z.string(),
    pending: z.number().int(),
    approved: z.number().int(),
    paid: z.number().int(),
    held: z.number().int().meta({ description: 'Part of pending held for review' }),
  })
  .meta({ id: 'Balance' });
export type Balance = z.infer<typeof balanceSchema>;
