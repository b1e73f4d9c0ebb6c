import { z } from 'zod';
import { timestamp } from '../http/schemas.js';
import { linkUtm } from '../programs/schemas.js';

export const placement = z.enum(['bio', 'caption', 'comment', 'story', 'qr', 'other']);

export const createLinkBody = z
  .strictObject({
    programId: z.string().min(1).max(64),
    creatorId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: 'Required with a brand token; a creator token links for itself' }),
    slug: z
      .string()
      .max(200)
      .optional()
      .meta({ description: 'A vanity slug such as krista/tiktok-0412; generated when absent' }),
    destinationUrl: z.string().max(4096),
    contentId: z.string().min(1).max(64).nullable().optional(),
    placement: placement.default('other'),
    utm: linkUtm
      .nullable()
      .optional()
      .meta({ description: "Over the program's UTM defaults for this link: a value replaces one, null leaves it out" }),
    expiresAt: timestamp.nullable().optional(),
  })
  .meta({ id: 'CreateLink' });

export const updateLinkBody = z
  .strictObject({
    destinationUrl: z.string().max(4096),
    contentId: z.string().min(1).max(64).nullable(),
    placement,
    utm: linkUtm.nullable(),
    status: z.enum(['enabled', 'disabled']),
    expiresAt: timestamp.nullable(),
  })
  .partial()
  .meta({ id: 'UpdateLink' });

export type CreateLinkInput = z.infer<typeof createLinkBody>;
export type UpdateLinkInput = z.infer<typeof updateLinkBody>;

export const linkSchema = z
  .object({
    id: z.string(),
    programId: z.string(),
    creatorId: z.string(),
    slug: z.string(),
    shortUrl: z.string(),
    destinationUrl: z.string(),
    contentId: z.string().nullable(),
    placement,
    utm: linkUtm.nullable(),
    status: z.enum(['enabled', 'disabled', 'deleted']),
    expiresAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Link' });

export type Link = z.infer<typeof linkSchema>;

export const linkHistorySchema = z.object({
  destinationUrl: z.string(),
  changedAt: timestamp,
  changedBy: z.string(),
});

export const listLinksQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  programId: z.string().max(64).optional(),
  creatorId: z.string().max(64).optional(),
  contentId: z.string().max(64).optional(),
});

export const qrQuery = z.strictObject({
  format: z.enum(['svg', 'png']).default('svg'),
  size: z.coerce.number().int().min(64).max(2048).default(512),
  margin: z.coerce.number().int().min(0).max(16).default(2),
});
