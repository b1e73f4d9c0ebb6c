import { z } from 'zod';
import { timestamp } from '../http/schemas.js';

export const integrationPlatform = z.enum(['shopify', 'stripe', 'woocommerce']);
export type IntegrationPlatform = z.infer<typeof integrationPlatform>;

export const integrationParams = z.strictObject({
  id: z.string().min(1).max(64),
  platform: integrationPlatform,
});

export const testOrdersSetting = z.enum(['record', 'ignore']).meta({
  description:
    "What a test order of the platform (Shopify's test: true, a Stripe event with livemode: false) becomes. " +
    'It never earns either way: `record` keeps it apart as a test, listed under the test orders and never in ' +
    'the sales, the ledger or the figures; `ignore` only logs the delivery as ignored. New integrations record them.',
});
export type TestOrdersSetting = z.infer<typeof testOrdersSetting>;

export const putIntegrationBody = z
  .strictObject({
    webhookSecret: z
      .string()
      .min(8, 'a webhook secret has at least 8 characters')
      .max(512)
      .optional()
      .meta({
        description:
          'Stored sealed with the instance secret and never shown again. Needed to set up an integration; ' +
          'an existing one keeps its secret when this is left out',
      }),
    testOrders: testOrdersSetting.optional(),
  })
  .meta({ id: 'PutIntegration' });
export type PutIntegration = z.infer<typeof putIntegrationBody>;

export const integrationSchema = z
  .object({
    programId: z.string(),
    platform: integrationPlatform,
    configured: z.literal(true),
    secretHint: z.string().meta({ description: 'The last four characters of the secret, e.g. …f3a9' }),
    testOrders: testOrdersSetting,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Integration' });

export type Integration = z.infer<typeof integrationSchema>;

export const testOrderSchema = z
  .object({
    orderId: z.string(),
    platform: integrationPlatform,
    currency: z.string(),
    amount: z.number().int().meta({ description: 'Its lines net of discounts, in minor units: never earned on' }),
    grossAmount: z.number().int().nullable(),
    lineCount: z.number().int(),
    clickId: z.string().nullable(),
    couponCodes: z.array(z.string()),
    status: z.enum(['received', 'refunded', 'cancelled']),
    lastTopic: z.string().nullable(),
    receivedAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'TestOrder' });
