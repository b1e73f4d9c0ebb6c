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

export type ConversionSource = 'track' | 'shopify' | 'stripe' | 'woocommerce' | 'demo';

export interface SaleLineInput {
  /** The platform's own id of the line (Shopify's line item id); refunds name lines by it. */
  lineId?: string | null;
  /** The program's product: its Kumppani id (`prd_…`) or the product's external id. */
  productId?: string | null;
  /** What the line is, for explanations ("Synergy leggings"). */
  name?: string | null;
  amount: number;
  quantity: number;
  /** The discount already taken off `amount`, when the platform says (for explanations). */
  discountAmount?: number;
}

export interface SaleInput {
  programId: string;
  /** The order's external id: the idempotency key of the sale within the program. */
  orderId: string;
  source: ConversionSource;
  /** When the sale happened (ISO 8601); the server's time when absent. */
  occurredAt?: string | null;
  currency: string;
  clickId?: string | null;
  customerId?: string | null;
  customerEmail?: string | null;
  /** Codes entered at checkout; the first that is an active code of an approved creator counts. */
  couponCodes?: string[];
  /** A subscription's id: renewals of the same subscription share it (recurring commissions). */
  subscriptionId?: string | null;
  /** Where the buyer came from (a URL or host), when the platform tells: coupon-site checks. */
  referrer?: string | null;
  /** Other ids the platform may later name this order by (Stripe's payment intent, say). */
  aliases?: string[];
  lines: SaleLineInput[];
  /**
   * What the shopper paid in all — lines, shipping, tax and fees — where the platform says: a
   * refund given as a part of this gross amount (`RefundInput.ofGross`) reverses the same part
   * of the lines.
   */
  grossTotal?: number | null;
  /** A test order of the platform (Shopify's `test: true`): recorded apart, never earning. */
  test?: boolean;
}

export interface LeadInput {
  programId: string;
  /** The lead's external id: the idempotency key of the lead within the program. */
  leadId: string;
  source: ConversionSource;
  occurredAt?: string | null;
  clickId?: string | null;
  customerId?: string | null;
  customerEmail?: string | null;
  couponCodes?: string[];
}

export interface RefundLineInput {
  /** Which line of the sale: the platform's line id, else the product. */
  lineId?: string | null;
  productId?: string | null;
  /** The net amount of that line refunded now. */
  amount: number;
}

export interface RefundInput {
  programId: string;
  /** The sale's order id, or one of its aliases. */
  orderId: string;
  /** The refund's own external id: a repeated refund is one refund. */
  refundId: string;
  source: ConversionSource;
  occurredAt?: string | null;
  currency?: string | null;
  /** Refunded lines; when absent, `amount` is spread over the sale's lines in proportion. */
  lines?: RefundLineInput[];
  amount?: number;
  /**
   * The gross amount (lines, shipping, tax) that `amount` is a part of, when the platform refunds
   * money rather than lines (Stripe, WooCommerce): only the same part of the lines is reversed.
   */
  ofGross?: number | null;
  /** Why, in plain words, when the platform says ("order cancelled"). */
  reason?: string | null;
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
