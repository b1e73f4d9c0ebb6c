import { z } from 'zod';
import { timestamp } from '../http/schemas.js';
import { isValidBic, isValidIban, normaliseIban } from '../shared/banking.js';
import { isPublicSuffix, normaliseHostname } from '../shared/domains.js';
import { isCurrencyCode } from '../shared/money.js';
import { isTimeZone } from '../shared/time-zones.js';

const amount = z.number().int('must be a whole number of minor units').min(0).max(Number.MAX_SAFE_INTEGER);

/** A commission rate or a discount: a percentage in basis points, or a flat amount in minor units. */
export const rate = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('percent'), bps: z.number().int().min(0).max(10_000) }),
    z.strictObject({ type: z.literal('flat'), amount }),
  ])
  .meta({
    id: 'Rate',
    description: '{"type":"percent","bps":1500} is 15 %; {"type":"flat","amount":500} is 5.00 in the program currency',
  });

export type Rate = z.infer<typeof rate>;

export const currency = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .refine(isCurrencyCode, 'must be an ISO 4217 currency code such as EUR or USD')
  .meta({ example: 'EUR' });

export const hostname = z
  .string()
  .max(253)
  .transform((s, ctx) => {
    const h = normaliseHostname(s);
    if (!h) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(s)} is not a hostname such as shop.example.com` });
      return z.NEVER;
    }
    return h;
  });

/**
 * A domain a program's links may send visitors to. A public suffix (`co.uk`, `github.io`) is
 * refused: anyone can have a site beneath one, so it would turn the program's links into an
 * open redirect.
 */
export const allowedDomain = hostname.superRefine((h, ctx) => {
  if (isPublicSuffix(h)) {
    ctx.addIssue({
      code: 'custom',
      message: `${h} is a public suffix, under which anyone may have a site: name your own domain (e.g. shop.${h})`,
    });
  }
});

export const commissionDuration = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('first_order') }),
    z.strictObject({ type: z.literal('months'), months: z.number().int().min(1).max(120) }),
    z.strictObject({ type: z.literal('lifetime') }),
  ])
  .meta({
    id: 'CommissionDuration',
    description: 'How long a customer won by a creator keeps earning that creator commissions',
  });

export const payoutAccount = z
  .strictObject({
    iban: z.string().refine(isValidIban, 'must be a valid IBAN').transform(normaliseIban),
    bic: z
      .string()
      .transform((s) => s.trim().toUpperCase())
      .refine(isValidBic, 'must be a BIC of 8 or 11 characters'),
    name: z.string().trim().min(1).max(70),
  })
  .meta({ id: 'PayoutAccount', description: 'The brand account that SEPA payouts are paid from' });

const utmValue = z.string().trim().min(1).max(200);
export const utm = z
  .strictObject({
    source: utmValue.optional(),
    medium: utmValue.optional(),
    campaign: utmValue.optional(),
    content: utmValue.optional(),
    term: utmValue.optional(),
  })
  .meta({ id: 'Utm', description: 'UTM parameters added to a destination that does not already carry them' });

/** A link's own UTM parameters: a value replaces the program's default, null drops it for this link. */
export const linkUtm = z
  .strictObject({
    source: utmValue.nullable().optional(),
    medium: utmValue.nullable().optional(),
    campaign: utmValue.nullable().optional(),
    content: utmValue.nullable().optional(),
    term: utmValue.nullable().optional(),
  })
  .meta({
    id: 'LinkUtm',
    description:
      "UTM parameters of one link, over the program's defaults: a value replaces the default, null leaves the parameter out",
  });

/** A higher rate for a creator once its sales in the program pass a threshold in a calendar month. */
export const tier = z
  .strictObject({
    thresholdAmount: amount.meta({
      description: "The creator's net sales this calendar month from which the rate applies",
    }),
    rate,
  })
  .meta({ id: 'CommissionTier' });

export type Tier = z.infer<typeof tier>;

const tiers = z
  .array(tier)
  .max(10)
  .transform((list) => [...list].sort((a, b) => a.thresholdAmount - b.thresholdAmount))
  .refine((list) => new Set(list.map((t) => t.thresholdAmount)).size === list.length, 'thresholds must differ');

const programFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).nullable(),
  currency,
  allowedDomains: z
    .array(allowedDomain)
    .min(1)
    .max(50)
    .transform((list) => [...new Set(list)]),
  defaultRate: rate,
  attributionWindowDays: z.number().int().min(1).max(365),
  holdingDays: z.number().int().min(0).max(365),
  minPayoutAmount: amount,
  visibility: z.enum(['open', 'invite']),
  codeWinsOverClick: z.boolean(),
  commissionDuration,
  rateCutNoticeDays: z.number().int().min(0).max(365),
  payoutAccount: payoutAccount.nullable(),
  utmDefaults: utm.nullable(),
  tiers,
  leadRewardAmount: amount.nullable(),
  timezone: z
    .string()
    .refine(isTimeZone, 'an IANA time zone, such as Europe/Helsinki')
    .meta({ description: 'IANA time zone in which analytics cut the days and weeks of this program' }),
};

export const createProgramBody = z
  .strictObject({
    ...programFields,
    description: programFields.description.optional(),
    attributionWindowDays: programFields.attributionWindowDays.default(30),
    holdingDays: programFields.holdingDays.default(30),
    minPayoutAmount: programFields.minPayoutAmount.default(5000),
    visibility: programFields.visibility.default('open'),
    codeWinsOverClick: programFields.codeWinsOverClick.default(true),
    commissionDuration: commissionDuration.default({ type: 'first_order' }),
    rateCutNoticeDays: programFields.rateCutNoticeDays.default(30),
    payoutAccount: programFields.payoutAccount.optional(),
    utmDefaults: programFields.utmDefaults.optional(),
    tiers: programFields.tiers.default([]),
    leadRewardAmount: programFields.leadRewardAmount.optional(),
    timezone: programFields.timezone.default('UTC'),
  })
  .meta({ id: 'CreateProgram' });

export type CreateProgramInput = z.infer<typeof createProgramBody>;

export const updateProgramBody = z
  .strictObject({
    name: programFields.name,
    description: programFields.description,
    allowedDomains: programFields.allowedDomains,
    defaultRate: rate,
    attributionWindowDays: programFields.attributionWindowDays,
    holdingDays: programFields.holdingDays,
    minPayoutAmount: programFields.minPayoutAmount,
    visibility: programFields.visibility,
    codeWinsOverClick: programFields.codeWinsOverClick,
    commissionDuration,
    rateCutNoticeDays: programFields.rateCutNoticeDays,
    payoutAccount: programFields.payoutAccount,
    utmDefaults: programFields.utmDefaults,
    tiers: programFields.tiers,
    leadRewardAmount: programFields.leadRewardAmount,
    timezone: programFields.timezone,
  })
  .partial()
  .meta({ id: 'UpdateProgram', description: 'Any subset of the program fields; the currency cannot change once set' });

export type UpdateProgramInput = z.infer<typeof updateProgramBody>;

export const programSchema = z
  .object({
    id: z.string().meta({ example: 'prg_01jd8x3q6v0000000000000000' }),
    name: z.string(),
    description: z.string().nullable(),
    currency: z.string(),
    allowedDomains: z.array(z.string()),
    defaultRate: rate,
    attributionWindowDays: z.number().int(),
    holdingDays: z.number().int(),
    minPayoutAmount: z.number().int(),
    visibility: z.enum(['open', 'invite']),
    codeWinsOverClick: z.boolean(),
    commissionDuration,
    rateCutNoticeDays: z.number().int(),
    payoutAccount: z.object({ iban: z.string(), bic: z.string(), name: z.string() }).nullable(),
    utmDefaults: utm.nullable(),
    tiers: z.array(tier),
    leadRewardAmount: z.number().int().nullable(),
    timezone: z.string().meta({ description: "IANA time zone of the program's analytics" }),
    status: z.enum(['active', 'archived']),
    createdAt: timestamp,
    updatedAt: timestamp,
    archivedAt: timestamp.nullable(),
  })
  .meta({ id: 'Program' });

export type Program = z.infer<typeof programSchema>;

export const listProgramsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  status: z.enum(['active', 'archived', 'all']).default('active'),
});
