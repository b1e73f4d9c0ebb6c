import { z } from 'zod';
import { AppError } from '../shared/errors.js';
import { isCurrencyCode, MAX_AMOUNT } from '../shared/money.js';
import type { WorkspaceScope } from '../shared/principal.js';
import type { ConversionView } from './schemas.js';

/**
 * The one way in for sales, leads and refunds. The track API, Shopify, Stripe and WooCommerce
 * each read their own input into one of these shapes and hand it to the conversions service;
 * none of them attributes a sale or computes a commission itself.
 *
 * Amounts are integers in the minor unit of `currency`; a line's `amount` is its net total for
 * all its units (after discounts, without tax and shipping).
 */

export const conversionSources = ['track', 'shopify', 'stripe', 'woocommerce', 'demo'] as const;
export type ConversionSource = (typeof conversionSources)[number];

const amount = z
  .number()
  .int('must be a whole, non-negative amount in minor units')
  .min(0, 'must be a whole, non-negative amount in minor units')
  .max(MAX_AMOUNT, 'must be a whole, non-negative amount in minor units');
const currency = z.string().refine(isCurrencyCode, { error: (i) => `${i.input} is not an ISO 4217 currency code` });
const text = z.string().nullish();
/** An ISO 8601 time; the server's time when absent. */
const time = z
  .string()
  .nullish()
  .refine((t) => !t || !Number.isNaN(Date.parse(t)), 'must be an ISO 8601 time');

export const saleLineInput = z.object({
  /** The platform's own id of the line (Shopify's line item id); refunds name lines by it. */
  lineId: text,
  /** The program's product: its Kumppani id (`prd_…`) or the product's external id. */
  productId: text,
  /** What the line is, for explanations ("Synergy leggings"). */
  name: text,
  amount,
  quantity: z.number().int('must be a whole number of at least 1').min(1, 'must be a whole number of at least 1'),
  /** The discount already taken off `amount`, when the platform says (for explanations). */
  discountAmount: amount.optional(),
});

export const saleInput = z.object({
  programId: z.string(),
  /** The order's external id: the idempotency key of the sale within the program. */
  orderId: z.string(),
  source: z.enum(conversionSources),
  /** When the sale happened (ISO 8601); the server's time when absent. */
  occurredAt: time,
  currency,
  clickId: text,
  customerId: text,
  customerEmail: text,
  /** Codes entered at checkout; the first that is an active code of an approved creator counts. */
  couponCodes: z.array(z.string()).optional(),
  /** A subscription's id: renewals of the same subscription share it (recurring commissions). */
  subscriptionId: text,
  /** Where the buyer came from (a URL or host), when the platform tells: coupon-site checks. */
  referrer: text,
  /** Other ids the platform may later name this order by (Stripe's payment intent, say). */
  aliases: z.array(z.string()).optional(),
  lines: z.array(saleLineInput).min(1, 'a sale has at least one line'),
  /**
   * What the shopper paid in all — lines, shipping, tax and fees — where the platform says: a
   * refund given as a part of this gross amount (`RefundInput.ofGross`) reverses the same part
   * of the lines.
   */
  grossTotal: amount.nullish(),
  /**
   * When the platform last changed the order (Shopify's `updated_at`, WooCommerce's
   * `date_modified_gmt`), where it says. Platforms may deliver an order's updates out of order: an
   * edit older than the state already recorded changes nothing.
   */
  updatedAt: time,
});

export const leadInput = z.object({
  programId: z.string(),
  /** The lead's external id: the idempotency key of the lead within the program. */
  leadId: z.string(),
  source: z.enum(conversionSources),
  occurredAt: time,
  clickId: text,
  customerId: text,
  customerEmail: text,
  couponCodes: z.array(z.string()).optional(),
});

export const refundLineInput = z.object({
  /** Which line of the sale: the platform's line id, else the product. */
  lineId: text,
  productId: text,
  /** The net amount of that line refunded now. */
  amount,
});

export const refundInput = z
  .object({
    programId: z.string(),
    /** The sale's order id, or one of its aliases. */
    orderId: z.string(),
    /** The refund's own external id: a repeated refund is one refund. */
    refundId: z.string(),
    source: z.enum(conversionSources),
    occurredAt: time,
    currency: currency.nullish(),
    /** Refunded lines; when absent, `amount` is spread over the sale's lines in proportion. */
    lines: z.array(refundLineInput).optional(),
    amount: amount.optional(),
    /**
     * The gross amount (lines, shipping, tax) that `amount` is a part of, when the platform refunds
     * money rather than lines (Stripe, WooCommerce): only the same part of the lines is reversed.
     */
    ofGross: amount.nullish(),
    /** Why, in plain words, when the platform says ("order cancelled"). */
    reason: z.string().nullish(),
  })
  .refine((r) => (r.lines && r.lines.length > 0) || r.amount !== undefined, {
    message: 'a refund names its lines or an amount',
    path: ['lines'],
  });

export type SaleLineInput = z.infer<typeof saleLineInput>;
export type SaleInput = z.infer<typeof saleInput>;
export type LeadInput = z.infer<typeof leadInput>;
export type RefundLineInput = z.infer<typeof refundLineInput>;
export type RefundInput = z.infer<typeof refundInput>;

/**
 * The one check of a delivery, made where it enters the conversions service: the track API and
 * every webhook hand their input through it. A bad input is a VALIDATION_FAILED naming each field.
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new AppError('VALIDATION_FAILED', fields[0]?.message ?? 'invalid input', fields);
}

/** What one sale, lead or refund delivery did; the delivery log keeps its `summary`. */
export interface ConversionOutcome {
  /** The conversion written or found; null for a refund kept until its sale arrives. */
  conversionId: string | null;
  /** True when this delivery repeated an earlier one and changed nothing. */
  duplicate: boolean;
  status: 'recorded' | 'duplicate' | 'unattributed' | 'refund_waiting_for_sale';
  attribution: 'code' | 'click' | 'customer' | null;
  creatorId: string | null;
  /** The ledger entries this delivery wrote (none for a duplicate). */
  commissionIds: string[];
  /** One line in plain words, e.g. "sale A-1001 by code DANA15 of Dana Vaughan: 12.00 € pending". */
  summary: string;
  /**
   * True when the order id was recorded before with other contents and the caller asked for such
   * a sale to be reported (`RecordOptions.conflicts`) rather than refused: nothing changed.
   */
  conflict?: boolean;
  /** The conversion as the brand sees it, read in the same transaction, when asked for. */
  view?: ConversionView;
  /**
   * The view already serialised, as the conversions thread answers it: the request thread then
   * sends it as it came instead of taking it apart and writing it out again.
   */
  viewJson?: string;
}

export interface RecordOptions {
  /** Read the conversion back inside the delivery's transaction (the track API answers with it). */
  withView?: boolean;
  /**
   * An order id seen before with other contents: refused with CONVERSION_CONFLICT (`refuse`, the
   * default), or answered as a duplicate that changed nothing, its summary saying why (`report`),
   * for a delivery that carries more than the sale.
   */
  conflicts?: 'refuse' | 'report' | 'edit';
}

/**
 * The conversions service as the integrations see it. `scope` is the program's workspace (the
 * webhook routes make it with `trustedScope` once the signature is verified). Errors are
 * AppErrors: NOT_FOUND for an unknown program, CONVERSION_CONFLICT (409) for an order id seen
 * before with other contents, VALIDATION_FAILED for bad amounts or currencies.
 */
export interface ConversionsPort {
  recordSale(scope: WorkspaceScope, input: SaleInput, options?: RecordOptions): Promise<ConversionOutcome>;
  recordLead(scope: WorkspaceScope, input: LeadInput, options?: RecordOptions): Promise<ConversionOutcome>;
  recordRefund(scope: WorkspaceScope, input: RefundInput, options?: RecordOptions): Promise<ConversionOutcome>;
}
