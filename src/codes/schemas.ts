import { z } from 'zod';
import { timestamp } from '../http/schemas.js';
import { rate } from '../programs/schemas.js';

export const createCodeBody = z
  .strictObject({
    creatorId: z.string().min(1).max(64),
    code: z
      .string()
      .max(64)
      .optional()
      .meta({ description: 'A vanity code such as KRISTA20; generated from the creator name when absent' }),
    discount: rate.meta({ description: 'What the code gives the shopper, in the shape of a rate' }),
    contentId: z.string().min(1).max(64).nullable().optional(),
  })
  .meta({ id: 'CreateCode' });

export const updateCodeBody = z
  .strictObject({
    status: z.enum(['active', 'disabled']),
    discount: rate,
  })
  .partial()
  .refine((b) => b.status !== undefined || b.discount !== undefined, { message: 'give a status, a discount, or both' })
  .meta({ id: 'UpdateCode' });

export const rotateCodeBody = z
  .strictObject({
    code: z.string().max(64).optional().meta({ description: 'The new code; generated when absent' }),
    effectiveAt: timestamp
      .optional()
      .meta({ description: 'When the old code stops attributing (now when absent; not in the past)' }),
  })
  .meta({ id: 'RotateCode' });

export const codeSchema = z
  .object({
    id: z.string(),
    programId: z.string(),
    creatorId: z.string(),
    contentId: z.string().nullable(),
    code: z.string(),
    discount: rate,
    status: z.enum(['active', 'disabled']),
    activeFrom: timestamp,
    activeUntil: timestamp.nullable().meta({ description: 'From this time the code no longer attributes sales' }),
    replacedBy: z.string().nullable().meta({ description: 'The code that replaced this one after a rotation' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Code' });

export type Code = z.infer<typeof codeSchema>;
export type CreateCodeInput = z.infer<typeof createCodeBody>;
export type UpdateCodeInput = z.infer<typeof updateCodeBody>;
export type RotateCodeInput = z.infer<typeof rotateCodeBody>;

export const listCodesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  programId: z.string().max(64).optional(),
  creatorId: z.string().max(64).optional(),
  status: z.enum(['active', 'disabled']).optional(),
});
