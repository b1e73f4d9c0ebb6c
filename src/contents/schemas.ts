import { z } from 'zod';
import { timestamp } from '../http/schemas.js';

export const contentPlatform = z.enum(['tiktok', 'instagram', 'youtube', 'other']);

export const createContentBody = z
  .strictObject({
    platform: contentPlatform,
    url: z.string().max(2048).meta({ description: 'The https address of the video or post' }),
    title: z.string().trim().min(1).max(200).optional(),
    postedAt: timestamp.optional(),
  })
  .meta({ id: 'CreateContent' });

export type CreateContentInput = z.infer<typeof createContentBody>;

export const contentSchema = z
  .object({
    id: z.string(),
    creatorId: z.string(),
    platform: contentPlatform,
    url: z.string(),
    title: z.string().nullable(),
    postedAt: timestamp.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'Content' });

export type Content = z.infer<typeof contentSchema>;

export const listContentsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  creatorId: z.string().max(64).optional(),
  platform: contentPlatform.optional(),
});
