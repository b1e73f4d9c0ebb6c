import { z } from 'zod';
import { timestamp } from '../http/schemas.js';

export const integrationPlatform = z.enum(['shopify', 'stripe', 'woocommerce']);
export type IntegrationPlatform = z.infer<typeof integrationPlatform>;

export const integrationParams = z.strictObject({
  id: z.string().min(1).max(64),
  platform: integrationPlatform,
});

export const putIntegrationBody = z
  .strictObject({
    webhookSecret: z
      .string()
      .min(8, 'a webhook secret has at least 8 characters')
      .max(512)
      .meta({ description: 'Stored sealed with the instance secret and never shown again' }),
  })
  .meta({ id: 'PutIntegration' });

export const integrationSchema = z
  .object({
    programId: z.string(),
    platform: integrationPlatform,
    configured: z.literal(true),
    secretHint: z.string().meta({ description: 'The last four characters of the secret, e.g. …f3a9' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Integration' });

export type Integration = z.infer<typeof integrationSchema>;
