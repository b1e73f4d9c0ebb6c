import { z } from 'zod';
import { timestamp } from '../http/schemas.js';
import { emailKinds, locales, optionalKinds } from './kinds.js';

const statuses = ['outbox', 'queued', 'sending', 'sent', 'failed'] as const;

export const emailSummarySchema = z
  .object({
    id: z.string(),
    kind: z.enum(emailKinds),
    to: z.string(),
    userId: z.string().nullable(),
    locale: z.enum(locales),
    subject: z.string(),
    status: z.enum(statuses).meta({
      description:
        'outbox: kept for the operator (no SMTP configured); queued/sending: on its way over SMTP; sent; failed: SMTP refused it after every retry',
    }),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: timestamp,
    sentAt: timestamp.nullable(),
  })
  .meta({ id: 'EmailSummary' });

export const emailMessageSchema = emailSummarySchema
  .extend({
    text: z
      .string()
      .nullable()
      .meta({ description: 'The plain-text body; null once a verification or reset link was delivered' }),
    html: z.string().nullable(),
  })
  .meta({ id: 'EmailMessage' });

export const listEmailsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  status: z.enum(statuses).optional(),
  to: z.string().max(254).optional().meta({ description: 'Only the emails to this address' }),
});

const kindSwitches = z.strictObject(
  Object.fromEntries(optionalKinds.map((k) => [k, z.boolean().optional()])) as Record<
    (typeof optionalKinds)[number],
    z.ZodOptional<z.ZodBoolean>
  >,
);

export const emailPreferencesSchema = z
  .object({
    locale: z.enum(locales).meta({ description: 'The language of the emails: en or fi' }),
    kinds: z
      .object(
        Object.fromEntries(optionalKinds.map((k) => [k, z.boolean()])) as Record<
          (typeof optionalKinds)[number],
          z.ZodBoolean
        >,
      )
      .meta({ description: 'Each kind of email and whether it is sent; verification and password reset always are' }),
    updatedAt: timestamp.nullable(),
  })
  .meta({ id: 'EmailPreferences' });

export const updateEmailPreferencesBody = z
  .strictObject({ locale: z.enum(locales).optional(), kinds: kindSwitches.optional() })
  .meta({ id: 'UpdateEmailPreferences' });
