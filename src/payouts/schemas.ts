import { z } from 'zod';
import { listQuery, timestamp } from '../http/schemas.js';
import { currency } from '../programs/schemas.js';
import { isValidBic, isValidIban, normaliseIban } from '../shared/banking.js';

export const payoutMethods = ['paypal', 'sepa', 'wise', 'stripe', 'manual'] as const;
export const payoutMethod = z.enum(payoutMethods).meta({ id: 'PayoutMethod' });
export type PayoutMethodName = z.infer<typeof payoutMethod>;

export const payoutStatuses = ['pending', 'processing', 'paid', 'failed'] as const;
export const payoutStatus = z.enum(payoutStatuses).meta({ id: 'PayoutStatus' });

const iban = z
  .string()
  .max(50)
  .refine(isValidIban, 'must be a valid IBAN (ISO 13616: country, check digits and account, mod-97 check)')
  .transform(normaliseIban);
const bic = z
  .string()
  .max(20)
  .transform((s) => s.trim().toUpperCase())
  .refine(isValidBic, 'must be a BIC of 8 or 11 characters (ISO 9362)');
const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('must be an email address'))
  .transform((s) => s.toLowerCase());
const accountName = z.string().trim().min(1).max(70);

const country = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .refine((s) => /^[A-Z]{2}$/.test(s), 'must be an ISO 3166 two-letter country code such as FI');

export const address = z
  .strictObject({
    line1: z.string().trim().min(1).max(140),
    line2: z.string().trim().max(140).optional(),
    postalCode: z.string().trim().min(1).max(20),
    city: z.string().trim().min(1).max(100),
    region: z.string().trim().max(100).optional(),
    country,
  })
  .meta({ id: 'PostalAddress' });

/** Tax and invoicing details, the same for every method. */
const taxFields = {
  legalName: z.string().trim().min(1).max(140).optional(),
  address: address.optional(),
  country: country.optional(),
  businessId: z.string().trim().min(1).max(40).optional(),
  vatNumber: z
    .string()
    .trim()
    .transform((s) => s.replace(/[\s.-]/g, '').toUpperCase())
    .refine((s) => /^[A-Z]{2}[A-Z0-9]{2,13}$/.test(s), 'must be a VAT number with its country prefix, e.g. FI12345678')
    .optional(),
  vatRegistered: z.boolean().optional(),
  vatRateBps: z.number().int().min(0).max(10_000).nullable().optional().meta({
    description:
      "The VAT rate the creator charges, in basis points (2550 = 25.5 %); when left out, the standard rate of the creator's country",
  }),
  taxForm: z
    .enum(['w9', 'w8ben'])
    .nullable()
    .optional()
    .meta({ description: 'For US payments: the IRS form the brand has received, W-9 (US persons) or W-8BEN' }),
  taxFormReceivedAt: z.iso.datetime({ offset: true }).nullable().optional(),
};

export const payoutProfileBody = z
  .discriminatedUnion('method', [
    z.strictObject({ method: z.literal('paypal'), paypalEmail: email, ...taxFields }),
    z.strictObject({ method: z.literal('sepa'), iban, bic: bic.optional(), accountName, ...taxFields }),
    z.strictObject({
      method: z.literal('wise'),
      wiseEmail: email.optional(),
      iban: iban.optional(),
      bic: bic.optional(),
      accountName,
      currency,
      ...taxFields,
    }),
    z.strictObject({
      method: z.literal('stripe'),
      stripeAccountId: z
        .string()
        .trim()
        .regex(/^acct_[A-Za-z0-9]{6,40}$/, 'must be a Stripe Connect account id (acct_…)'),
      ...taxFields,
    }),
    z.strictObject({ method: z.literal('manual'), note: z.string().trim().max(500).optional(), ...taxFields }),
  ])
  .superRefine((body, ctx) => {
    if (body.method === 'wise' && !body.wiseEmail && !body.iban) {
      ctx.addIssue({ code: 'custom', path: ['wiseEmail'], message: 'a Wise payout needs wiseEmail or iban' });
    }
    if (body.taxFormReceivedAt && !body.taxForm) {
      ctx.addIssue({ code: 'custom', path: ['taxForm'], message: 'taxFormReceivedAt needs taxForm' });
    }
  })
  .meta({
    id: 'PutPayoutProfile',
    description:
      'How the creator is paid, with tax and invoicing details. Bank details are stored encrypted and shown masked.',
  });

export type PayoutProfileInput = z.infer<typeof payoutProfileBody>;

export const payoutProfileSchema = z
  .object({
    creatorId: z.string(),
    method: payoutMethod,
    details: z.record(z.string(), z.string()).meta({
      description: 'The payout details, masked: IBAN FI21 •••• •••• 0785, e•••@example.com',
    }),
    currency: z.string().nullable(),
    legalName: z.string().nullable(),
    address: z
      .object({
        line1: z.string(),
        line2: z.string().optional(),
        postalCode: z.string(),
        city: z.string(),
        region: z.string().optional(),
        country: z.string(),
      })
      .nullable(),
    country: z.string().nullable(),
    businessId: z.string().nullable(),
    vatNumber: z.string().nullable(),
    vatRegistered: z.boolean(),
    vatRateBps: z.number().int().nullable(),
    taxForm: z.enum(['w9', 'w8ben']).nullable(),
    taxFormReceivedAt: timestamp.nullable(),
    invoicingComplete: z.boolean().meta({ description: 'legal name, address and country are all given' }),
    underReview: z.boolean().meta({
      description: 'another creator gave the same account or email: payouts wait for a brand’s review',
    }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'PayoutProfile' });

export type PayoutProfile = z.infer<typeof payoutProfileSchema>;

export const payoutSettingsBody = z
  .strictObject({
    allowedMethods: z
      .array(payoutMethod)
      .min(1)
      .transform((l) => [...new Set(l)]),
    schedule: z.enum(['manual', 'weekly', 'monthly']),
    scheduleDay: z
      .number()
      .int()
      .min(1)
      .max(28)
      .nullable()
      .meta({ description: 'weekly: ISO weekday 1 (Monday) to 7; monthly: day of the month 1 to 28' }),
    requireTaxForm: z.boolean(),
    requireInvoicingDetails: z.boolean(),
    requireSelfBilling: z.boolean().meta({
      description:
        "Every payout comes with a self-billing invoice, and a creator who has not agreed to self-billing is blocked with the reason in any program. true: the invoices must carry both parties' full details, so a creator without legal name, address and country is blocked too, and a run waits for the brand's invoicing details",
    }),
    stripeSecretKey: z
      .string()
      .trim()
      .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/, 'must be a Stripe secret or restricted key')
      .nullable()
      .meta({ description: 'For Stripe Connect transfers; stored encrypted and never shown again' }),
  })
  .partial()
  .superRefine((b, ctx) => {
    if (b.schedule === 'weekly' && b.scheduleDay != null && b.scheduleDay > 7) {
      ctx.addIssue({ code: 'custom', path: ['scheduleDay'], message: 'a weekly schedule takes a weekday 1–7' });
    }
  })
  .meta({ id: 'PutPayoutSettings' });

export type PayoutSettingsInput = z.infer<typeof payoutSettingsBody>;

export const payoutSettingsSchema = z
  .object({
    programId: z.string(),
    allowedMethods: z.array(payoutMethod),
    schedule: z.enum(['manual', 'weekly', 'monthly']),
    scheduleDay: z.number().int().nullable(),
    requireTaxForm: z.boolean(),
    requireInvoicingDetails: z.boolean(),
    requireSelfBilling: z.boolean(),
    stripeKeyHint: z.string().nullable().meta({ description: 'the last four characters of the Stripe key, if set' }),
    minPayoutAmount: z.number().int(),
    currency: z.string(),
    nextRunAt: timestamp.nullable(),
  })
  .meta({ id: 'PayoutSettings' });

export type PayoutSettings = z.infer<typeof payoutSettingsSchema>;

export const runBody = z
  .strictObject({
    dryRun: z.boolean().default(false),
    cutoff: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({ description: 'pay entries approved up to this time (default: now)' }),
    creatorIds: z
      .strictObject({
        include: z.array(z.string().max(64)).max(100_000).optional(),
        exclude: z.array(z.string().max(64)).max(100_000).optional(),
      })
      .optional(),
    methods: z
      .array(payoutMethod)
      .min(1)
      .optional()
      .meta({ description: 'pay only creators on these methods (each must be allowed by the program)' }),
    currency: currency.optional().meta({ description: 'if given, must be the program currency' }),
  })
  .meta({ id: 'RunPayouts' });

export type RunInput = z.input<typeof runBody>;

export const payoutSchema = z
  .object({
    id: z.string().nullable().meta({ description: 'null in a dry run' }),
    runId: z.string().nullable(),
    programId: z.string(),
    creatorId: z.string(),
    amount: z.number().int().meta({
      description: "the money sent: the invoice's total, the commissions plus any VAT the invoice adds on top",
    }),
    commissionAmount: z
      .number()
      .int()
      .meta({ description: "what the payout's ledger entries add up to (commissions, net of reversals)" }),
    vatAmount: z.number().int().meta({
      description:
        'VAT on top of the commissions, paid to a VAT-registered creator whose invoice adds it (0 for reverse charge or no VAT)',
    }),
    currency: z.string(),
    method: payoutMethod,
    status: payoutStatus,
    statusMessage: z.string().meta({ description: 'a sentence for the creator about this status' }),
    destination: z.string().nullable().meta({ description: 'where the money goes, masked' }),
    commissionIds: z.array(z.string()),
    entryCount: z.number().int(),
    failure: z.object({ code: z.string(), reason: z.string() }).nullable(),
    reference: z.string().nullable(),
    transferId: z.string().nullable(),
    createdAt: timestamp.nullable(),
    paidAt: timestamp.nullable(),
    failedAt: timestamp.nullable(),
  })
  .meta({ id: 'Payout' });

export type Payout = z.infer<typeof payoutSchema>;

const held = z.object({
  creatorId: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  entryCount: z.number().int(),
  reason: z.string().meta({ description: 'a code: below_minimum, no_payout_profile, tax_form_missing, …' }),
  message: z.string(),
});

export const runSummarySchema = z
  .object({
    id: z.string().nullable(),
    programId: z.string(),
    dryRun: z.boolean(),
    cutoff: timestamp,
    currency: z.string(),
    payoutCount: z.number().int(),
    totalAmount: z.number().int().meta({ description: 'the money the run sends: its payouts’ amounts, VAT included' }),
    createdAt: timestamp.nullable(),
  })
  .meta({ id: 'PayoutRun' });

export const runResultSchema = z
  .object({
    data: z.array(payoutSchema),
    run: runSummarySchema,
    carriedForward: z.array(held).meta({ description: 'creators whose net balance is below the minimum' }),
    blocked: z.array(held).meta({ description: 'creators who cannot be paid yet, each with the reason' }),
  })
  .meta({ id: 'PayoutRunResult' });

export type RunResult = z.infer<typeof runResultSchema>;
export type HeldCreator = z.infer<typeof held>;

export const listRunsQuery = listQuery;
export const listPayoutsQuery = listQuery.extend({
  status: payoutStatus.optional(),
  programId: z.string().max(64).optional(),
  runId: z.string().max(64).optional(),
});

export const exportQuery = z.strictObject({
  format: z.enum(['sepa-xml', 'paypal-csv', 'wise-csv']),
  version: z.enum(['09', '03']).default('09').meta({ description: 'pain.001.001.09 (default) or .03' }),
  executionDate: z.iso.date().optional().meta({ description: 'requested execution date of a SEPA file' }),
});

export const markPaidBody = z
  .strictObject({ reference: z.string().trim().min(1).max(140).optional() })
  .meta({ id: 'MarkPayoutPaid' });

export const failBody = z
  .strictObject({
    code: z
      .enum(['bank_return', 'paypal_denied', 'paypal_unclaimed', 'stripe_error', 'wise_failed', 'other'])
      .default('other'),
    reason: z.string().trim().min(1).max(500),
  })
  .meta({ id: 'FailPayout' });

export const payoutFlagSchema = z
  .object({
    id: z.string(),
    creatorId: z.string(),
    otherCreatorId: z.string(),
    destinationKind: z.enum(['account', 'email', 'stripe']),
    status: z.enum(['open', 'cleared', 'confirmed']),
    note: z.string().nullable(),
    createdAt: timestamp,
    resolvedAt: timestamp.nullable(),
  })
  .meta({ id: 'PayoutFlag' });

export const resolveFlagBody = z
  .strictObject({
    resolution: z.enum(['cleared', 'confirmed']).meta({
      description: 'cleared: the shared account is legitimate and both may be paid; confirmed: both stay blocked',
    }),
    note: z.string().trim().max(1000).optional(),
  })
  .meta({ id: 'ResolvePayoutFlag' });

export const payoutDetailSchema = payoutSchema
  .extend({
    history: z.array(
      z.object({ from: payoutStatus.nullable(), to: payoutStatus, reason: z.string().nullable(), at: timestamp }),
    ),
  })
  .meta({ id: 'PayoutDetail' });

export const runDetailSchema = runSummarySchema
  .extend({
    trigger: z.enum(['api', 'schedule', 'cli']),
    statuses: z.record(z.string(), z.object({ count: z.number().int(), amount: z.number().int() })),
    carriedForward: z.array(held),
    blocked: z.array(held),
  })
  .meta({ id: 'PayoutRunDetail' });

export const runActionBody = z
  .strictObject({ method: payoutMethod.optional(), reference: z.string().trim().min(1).max(140).optional() })
  .meta({ id: 'PayoutRunAction' });

export const sendRunResultSchema = z
  .object({ processing: z.number().int(), paid: z.number().int(), failed: z.number().int(), notSent: z.number().int() })
  .meta({ id: 'PayoutRunSent' });

export const listFlagsQuery = z.strictObject({ status: z.enum(['open', 'all']).default('open') });
