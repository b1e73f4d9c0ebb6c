import { z } from 'zod';
import { listQuery, timestamp } from '../http/schemas.js';
import { hostname } from '../programs/schemas.js';

export const fraudSettingsBody = z
  .strictObject({
    clickSpamThreshold: z.number().int().min(1).max(100_000).meta({
      description: 'More clicks than this from one visitor on the winning link within a day hold the commission',
    }),
    couponSiteDomains: z
      .array(hostname)
      .max(200)
      .transform((list) => [...new Set(list)])
      .meta({ description: 'Coupon-sharing sites beyond the built-in list; their subdomains count too' }),
  })
  .partial()
  .meta({ id: 'PutFraudSettings' });

export const fraudSettingsSchema = z
  .object({
    programId: z.string(),
    clickSpamThreshold: z.number().int(),
    couponSiteDomains: z.array(z.string()),
    builtInCouponSites: z.array(z.string()),
  })
  .meta({ id: 'FraudSettings' });

export const codeAlertSchema = z
  .object({
    id: z.string(),
    programId: z.string(),
    codeId: z.string(),
    code: z.string(),
    creatorId: z.string(),
    reason: z.enum(['spike', 'coupon_site']),
    detail: z.string(),
    status: z.enum(['open', 'resolved']),
    resolution: z.enum(['leaked', 'not_leaked']).nullable(),
    note: z.string().nullable(),
    heldCommissions: z.number().int().meta({ description: 'Commissions of this code held while the alert is open' }),
    openedAt: timestamp,
    resolvedAt: timestamp.nullable(),
  })
  .meta({ id: 'CodeAlert' });

export const listAlertsQuery = listQuery.extend({ status: z.enum(['open', 'resolved', 'all']).default('open') });

export const resolveAlertBody = z
  .strictObject({
    resolution: z.enum(['leaked', 'not_leaked']).meta({
      description:
        'not_leaked releases the commissions this alert held; leaked leaves them held for review (rotate the code with POST /api/v1/codes/{id}/rotate)',
    }),
    note: z.string().trim().max(1000).optional(),
  })
  .meta({ id: 'ResolveCodeAlert' });

export const healthQuery = z.strictObject({ days: z.coerce.number().int().min(7).max(365).default(30) });

const share = z.number().min(0).max(1);
export const codeHealthSchema = z
  .object({
    codeId: z.string(),
    code: z.string(),
    creatorId: z.string(),
    from: z.string().meta({ description: 'First day of the report (UTC)' }),
    to: z.string(),
    uses: z.number().int(),
    usesPerDay: z.array(z.object({ day: z.string(), uses: z.number().int(), noClickUses: z.number().int() })),
    noClickShare: share.nullable().meta({ description: 'Share of uses with no click from the creator’s links' }),
    baselineNoClickShare: share.nullable().meta({ description: 'The same share over the days before the report' }),
    newCustomerShare: share.nullable(),
    couponSiteUses: z.number().int(),
    topReferrers: z.array(z.object({ host: z.string(), uses: z.number().int() })),
    countries: z.array(z.object({ country: z.string(), uses: z.number().int() })),
    status: z.enum(['ok', 'alert']),
    alerts: z.array(codeAlertSchema),
  })
  .meta({ id: 'CodeHealth' });

export type CodeAlert = z.infer<typeof codeAlertSchema>;
export type CodeHealth = z.infer<typeof codeHealthSchema>;
