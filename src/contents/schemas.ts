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

export const recordViewsBody = z
  .strictObject({
    views: z
      .number()
      .int()
      .min(0)
      .max(1e13)
      .meta({ description: 'The view count the platform shows for the video or post at `at`: a running total' }),
    at: timestamp.optional().meta({ description: 'When the count was read; now by default. Not in the future.' }),
  })
  .meta({ id: 'RecordViews' });

export type RecordViewsInput = z.infer<typeof recordViewsBody>;

export const viewCountSchema = z
  .object({ contentId: z.string(), at: timestamp, views: z.number().int() })
  .meta({ id: 'ViewCount' });

export const listViewsQuery = z.strictObject({
  from: timestamp.optional(),
  to: timestamp.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});
