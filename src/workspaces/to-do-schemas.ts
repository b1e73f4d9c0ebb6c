import { z } from 'zod';
import { timestamp } from '../http/schemas.js';

const platform = z.enum(['shopify', 'stripe', 'woocommerce']);

export const failingWebhookSchema = z
  .object({
    programId: z.string(),
    programName: z.string(),
    platform,
    outcome: z.enum(['refused', 'failed']).meta({
      description: 'refused: the signature or payload was refused; failed: it could not be recorded',
    }),
    reason: z.string().nullable().meta({ description: 'Why, as the delivery log says it' }),
    lastDeliveryAt: timestamp,
  })
  .meta({ id: 'FailingWebhook' });

export const toDoSchema = z
  .object({
    heldCommissions: z.number().int().meta({ description: 'Pending commissions held for review (the review queue)' }),
    applications: z.number().int().meta({ description: 'Creators who applied and wait for approval' }),
    openCodeAlerts: z.number().int().meta({ description: 'Open alerts of possibly leaked coupon codes' }),
    payoutsToConfirm: z.number().int().meta({
      description: 'Payouts made by a run and not yet confirmed paid or failed (status pending or processing)',
    }),
    failingWebhooks: z.array(failingWebhookSchema).meta({
      description:
        "Connected shop integrations whose latest webhook delivery was refused or failed, one per program's platform",
    }),
  })
  .meta({ id: 'ToDo' });

export type ToDo = z.infer<typeof toDoSchema>;
