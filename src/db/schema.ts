import type { ColumnType, Generated } from 'kysely';

/**
 * The tables as Kysely sees them. Timestamps are ISO 8601 UTC text; flags are 0/1 integers;
 * JSON values are text. Both dialects store and return the same shapes, and money columns are
 * 64-bit integers converted to numbers in one place (see database.ts).
 */
export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  kind: 'brand' | 'creator';
  is_operator: number;
  created_at: string;
  /** Set once the person has followed the verification link sent at signup. */
  email_verified_at: ColumnType<string | null, string | null | undefined, string | null>;
  /**
   * 1 for an account made by a signup that answered the same whether the address had an account
   * (an instance the world can reach): it signs in once the address is confirmed.
   */
  signup_pending: ColumnType<number, number | undefined, number>;
}

export interface WorkspacesTable {
  id: string;
  name: string;
  country: string | null;
  /** The brand's invoicing details, to which creators' self-billing invoices are addressed. */
  billing_legal_name: string | null;
  /** JSON: {line1, line2?, postalCode, city, region?, country}. */
  billing_address: string | null;
  billing_business_id: string | null;
  billing_vat_number: string | null;
  created_at: string;
}

export interface MembershipsTable {
  id: string;
  workspace_id: string;
  user_id: string;
  role: 'owner' | 'manager' | 'viewer';
  created_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  workspace_id: string | null;
  token_hash: string;
  created_at: string;
  expires_at: string;
  last_used_at: string;
}

export interface ApiKeysTable {
  id: string;
  workspace_id: string | null;
  creator_id: string | null;
  name: string;
  prefix: string;
  key_hash: string;
  role: 'owner' | 'manager' | 'viewer' | 'creator';
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface CreatorsTable {
  id: string;
  user_id: string | null;
  name: string;
  email: string;
  country: string | null;
  created_at: string;
}

export interface SocialAccountsTable {
  id: string;
  creator_id: string;
  platform: 'tiktok' | 'instagram' | 'youtube';
  handle: string;
  followers: number;
  avg_views: number;
  engagement_bps: number;
  posts_per_week_tenths: number;
  created_at: string;
}

export interface ProgramsTable {
  id: string;
  workspace_id: string;
  name: string;
  description: string | null;
  currency: string;
  allowed_domains: string;
  default_rate_type: 'percent' | 'flat';
  default_rate_value: number;
  attribution_window_days: number;
  holding_days: number;
  min_payout_amount: number;
  visibility: 'open' | 'invite';
  code_wins_over_click: number;
  commission_duration: 'first_order' | 'months' | 'lifetime';
  commission_duration_months: number | null;
  rate_cut_notice_days: number;
  payout_account: string | null;
  utm_defaults: string | null;
  commission_tiers: string | null;
  lead_reward_amount: number | null;
  status: 'active' | 'archived';
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  /** IANA time zone in which analytics cut the program's days and weeks. */
  timezone: Generated<string>;
}

export interface ProductsTable {
  id: string;
  workspace_id: string;
  program_id: string;
  external_id: string;
  name: string;
  url: string | null;
  price_amount: number | null;
  rate_type: 'percent' | 'flat' | null;
  rate_value: number | null;
  status: 'active' | 'archived';
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}

export type EnrollmentStatus = 'applied' | 'invited' | 'approved' | 'rejected' | 'suspended';
export type Placement = 'bio' | 'caption' | 'comment' | 'story' | 'qr' | 'other';

export interface EnrollmentsTable {
  id: string;
  workspace_id: string;
  program_id: string;
  creator_id: string;
  status: EnrollmentStatus;
  rate_type: 'percent' | 'flat' | null;
  rate_value: number | null;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface EnrollmentEventsTable {
  id: string;
  enrollment_id: string;
  from_status: EnrollmentStatus | null;
  to_status: EnrollmentStatus;
  reason: string | null;
  /** Who made the change: a user id, an API key id, or `system`. */
  actor: string;
  at: string;
}

export interface IntegrationsTable {
  id: string;
  workspace_id: string;
  program_id: string;
  platform: 'shopify' | 'stripe' | 'woocommerce';
  /** The webhook signing secret, sealed with the instance secret (src/shared/secrets.ts). */
  secret_sealed: string;
  /** The last four characters, so that a brand can tell which secret is set. */
  secret_hint: string;
  /** What a test order of the platform becomes: recorded apart as a test, or only logged as ignored. */
  test_orders: 'record' | 'ignore';
  created_at: string;
  updated_at: string;
}

/** A platform's test order, recorded apart: never in the ledger, the sales or the figures. */
export interface TestOrdersTable {
  program_id: string;
  platform: 'shopify' | 'stripe' | 'woocommerce';
  /** The platform's order id (Shopify's order, Stripe's Checkout Session or invoice). */
  order_id: string;
  workspace_id: string;
  currency: string;
  /** What its lines came to, net of discounts, in minor units of `currency`. */
  amount: number;
  gross_amount: number | null;
  line_count: number;
  click_id: string | null;
  /** JSON list of the codes entered. */
  coupon_codes: string;
  status: 'received' | 'refunded' | 'cancelled';
  last_topic: string | null;
  received_at: string;
  updated_at: string;
}

export interface CodesTable {
  id: string;
  workspace_id: string;
  program_id: string;
  creator_id: string;
  content_id: string | null;
  code: string;
  /** The code in capitals: codes are unique per program whatever their case. */
  code_key: string;
  /** A rate, as JSON: the discount the code gives. */
  discount: string;
  status: 'active' | 'disabled';
  active_from: string;
  /** From this time the code no longer attributes (disabled, or replaced after a leak). */
  active_until: string | null;
  replaced_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ContentsTable {
  id: string;
  creator_id: string;
  platform: 'tiktok' | 'instagram' | 'youtube' | 'other';
  url: string;
  title: string | null;
  posted_at: string | null;
  created_at: string;
}

export interface LinksTable {
  id: string;
  workspace_id: string;
  program_id: string;
  creator_id: string;
  slug: string;
  destination_url: string;
  content_id: string | null;
  placement: Placement;
  utm: string | null;
  status: 'enabled' | 'disabled' | 'deleted';
  expires_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface LinkDestinationsTable {
  id: string;
  link_id: string;
  destination_url: string;
  changed_by: string;
  changed_at: string;
}

export interface ClicksTable {
  id: string;
  link_id: string;
  program_id: string;
  creator_id: string;
  content_id: string | null;
  placement: Placement;
  at: string;
  visitor_hash: string;
  device: string;
  browser: string;
  os: string;
  country: string;
  referrer: string;
  is_bot: number;
  is_unique: number;
}

export interface ClickVisitorsTable {
  link_id: string;
  day: string;
  visitor_hash: string;
  /** The visitor's clicks on the link that day (bots not counted). */
  clicks: number;
}

export interface VisitorSaltsTable {
  day: string;
  salt: string;
}

export interface LinkStatsHourlyTable {
  link_id: string;
  hour: string;
  clicks: number;
  unique_clicks: number;
  bot_clicks: number;
}

export interface LinkStatsDailyTable {
  link_id: string;
  day: string;
  dimension: 'country' | 'device' | 'referrer';
  value: string;
  clicks: number;
  unique_clicks: number;
  bot_clicks: number;
}

/** Clicks of a program per UTC hour (`YYYY-MM-DDTHH`): the sum of its links' hourly rollups. */
export interface ClickStatsHourlyTable {
  program_id: string;
  hour: string;
  clicks: number;
  unique_clicks: number;
  bot_clicks: number;
}

/** Clicks of a program per UTC day and value of one dimension: country, device or creator (its id). */
export interface ClickStatsDailyTable {
  program_id: string;
  dimension: 'country' | 'device' | 'creator';
  day: string;
  value: string;
  clicks: number;
  unique_clicks: number;
  bot_clicks: number;
}

export interface CustomersTable {
  id: string;
  workspace_id: string;
  program_id: string;
  external_id: string | null;
  email_hash: string | null;
  creator_id: string | null;
  won_at: string | null;
  first_conversion_id: string | null;
  created_at: string;
}

export type Attribution = 'code' | 'click' | 'customer';

export interface ConversionsTable {
  id: string;
  workspace_id: string;
  program_id: string;
  kind: 'sale' | 'lead';
  external_id: string;
  fingerprint: string;
  source: string;
  currency: string;
  amount: number;
  original_currency: string;
  original_amount: number;
  exchange_rate: string | null;
  click_id: string | null;
  code_id: string | null;
  code: string | null;
  customer_id: string | null;
  subscription_id: string | null;
  referrer: string | null;
  creator_id: string | null;
  attribution: Attribution | null;
  /** JSON: why the winning rule won. */
  evidence: string;
  occurred_at: string;
  created_at: string;
  /** What the shopper paid in all (lines, shipping, tax), in the original currency, when the platform said. */
  gross_amount: number | null;
  /**
   * When the platform last changed the order, as its latest delivery said (an ISO instant), where
   * it says: an update older than this changes nothing.
   */
  source_updated_at: string | null;
}

export interface ConversionLinesTable {
  conversion_id: string;
  line_no: number;
  line_id: string | null;
  product_id: string | null;
  external_product_id: string | null;
  name: string | null;
  quantity: number;
  amount: number;
  discount_amount: number | null;
  refunded_amount: number;
}

export interface OrderAliasesTable {
  program_id: string;
  alias: string;
  conversion_id: string;
}

export interface RefundsTable {
  id: string;
  workspace_id: string;
  program_id: string;
  external_id: string;
  order_id: string;
  conversion_id: string | null;
  fingerprint: string;
  source: string;
  /** JSON: the refund as received, to apply when its sale arrives. */
  request: string;
  amount: number;
  status: 'applied' | 'waiting';
  occurred_at: string;
  created_at: string;
}

export type CommissionStatus = 'pending' | 'approved' | 'paid' | 'reversed' | 'rejected';

export interface CommissionsTable {
  id: string;
  workspace_id: string;
  program_id: string;
  creator_id: string;
  conversion_id: string;
  refund_id: string | null;
  reverses_id: string | null;
  line_no: number | null;
  kind: 'sale' | 'lead' | 'reversal';
  amount: number;
  currency: string;
  status: CommissionStatus;
  base_amount: number;
  /** JSON Rate, for sale and lead entries. */
  rate: string | null;
  rate_source: string | null;
  explanation: string;
  hold_reason: string | null;
  hold_detail: string | null;
  status_reason: string | null;
  approve_after: string;
  payout_id: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * The changes of a commission's status after it was written (approval, release or rejection,
 * payment…). Its creation is its own row: `created_at`, and the status it was written in, which
 * is the `from_status` of its first event or, with none, its status now. Rows written before
 * this was so also hold an event for the creation, from no status.
 */
export interface CommissionEventsTable {
  id: string;
  commission_id: string;
  from_status: CommissionStatus | null;
  to_status: CommissionStatus;
  reason: string | null;
  actor: string;
  at: string;
}

export interface ExchangeRatesTable {
  from_currency: string;
  to_currency: string;
  rate: string;
  updated_at: string;
}

export interface RateChangesTable {
  id: string;
  program_id: string;
  enrollment_id: string | null;
  old_rate: string | null;
  new_rate: string | null;
  changed_at: string;
}

/** Deliveries to a program or platform with no webhook secret: counted, never stored. */
export interface WebhookUnconfiguredCountsTable {
  program_id: string;
  platform: 'shopify' | 'stripe' | 'woocommerce';
  count: number;
  last_at: string;
}

/** What Stripe said of one payment's refunds: a refund by id, or the charge's cumulative total. */
export interface StripeRefundsSeenTable {
  program_id: string;
  /** The payment intent, else the charge. */
  payment_key: string;
  /** The refund's id (`re_…`), or `total:<amount_refunded>`. */
  ref: string;
  kind: 'refund' | 'cumulative';
  amount: number;
  /** What this event added to the refunds recorded against the sale. */
  recorded: number;
  created_at: string;
}

/** Which payment (intent or charge) paid which invoice: basil invoices do not say. */
export interface StripeInvoicePaymentsTable {
  program_id: string;
  payment_ref: string;
  invoice_id: string;
  created_at: string;
}

/** A domain a workspace has proved control of, or is about to (its token). */
export interface WorkspaceDomainsTable {
  id: string;
  workspace_id: string;
  domain: string;
  token: string;
  status: 'pending' | 'verified';
  method: 'http' | 'dns' | 'operator' | 'existing' | null;
  verified_at: string | null;
  verified_by: string | null;
  /** What the last attempt to verify found, in plain words. */
  last_check: string | null;
  created_at: string;
}

/** An operator's invitation to sign up as a brand where brand signup is by invitation. */
export interface BrandInvitationsTable {
  id: string;
  code_hash: string;
  email: string | null;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by: string | null;
}

export interface WebhookDeliveriesTable {
  id: string;
  workspace_id: string;
  program_id: string;
  platform: 'shopify' | 'stripe' | 'woocommerce';
  topic: string | null;
  delivery_id: string | null;
  test: number;
  verified: number;
  refusal: string | null;
  outcome:
    | 'refused'
    | 'recorded'
    | 'duplicate'
    | 'unattributed'
    | 'refund_waiting_for_sale'
    | 'ignored'
    | 'failed'
    | 'tested'
    | 'test_order';
  conversion_id: string | null;
  summary: string | null;
  error_code: string | null;
  body_bytes: number;
  body_sha256: string;
  received_at: string;
}

export interface FraudSettingsTable {
  program_id: string;
  click_spam_threshold: number;
  coupon_site_domains: string;
  updated_at: string;
}

export interface CodeUsesTable {
  conversion_id: string;
  code_id: string;
  program_id: string;
  at: string;
  day: string;
  with_click: number;
  referrer_host: string | null;
  country: string | null;
  new_customer: number;
  coupon_site: number;
  amount: number;
}

export interface CodeUseDaysTable {
  code_id: string;
  day: string;
  uses: number;
  no_click_uses: number;
  new_customer_uses: number;
  coupon_site_uses: number;
}

export interface BioPagesTable {
  creator_id: string;
  handle: string;
  title: string;
  bio: string | null;
  avatar_url: string | null;
  /** JSON: the page's colours. */
  theme: string | null;
  /** 'auto' follows the visitor's Accept-Language; 'en' or 'fi' fixes the page's language. */
  language: 'auto' | 'en' | 'fi';
  created_at: string;
  updated_at: string;
}

export interface BioLinksTable {
  creator_id: string;
  position: number;
  link_id: string;
  label: string;
}

export interface BioCodeCopiesTable {
  code_id: string;
  day: string;
  copies: number;
}

export interface LinkChecksTable {
  link_id: string;
  checked_at: string;
  http_status: number | null;
  /** 1 when the destination answered 404 or 410. */
  broken: number;
  detail: string | null;
}

export interface CodeAlertsTable {
  id: string;
  workspace_id: string;
  program_id: string;
  code_id: string;
  reason: 'spike' | 'coupon_site';
  detail: string;
  status: 'open' | 'resolved';
  resolution: 'leaked' | 'not_leaked' | null;
  note: string | null;
  opened_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}

export type PayoutMethod = 'paypal' | 'sepa' | 'wise' | 'stripe' | 'manual';
export type PayoutStatus = 'pending' | 'processing' | 'paid' | 'failed';

export interface PayoutProfilesTable {
  creator_id: string;
  method: PayoutMethod;
  /** The method's details as JSON, sealed with the instance secret. */
  details_sealed: string;
  /** The details masked for display, as JSON. */
  details_masked: string;
  /** A keyed hash of the account or email paid to: equal for equal destinations. */
  destination_key: string | null;
  currency: string | null;
  legal_name: string | null;
  /** JSON: {line1, line2?, postalCode, city, region?, country}. */
  address: string | null;
  country: string | null;
  business_id: string | null;
  vat_number: string | null;
  vat_registered: number;
  /** The VAT rate the creator charges, when VAT-registered; else the country's standard rate. */
  vat_rate_bps: number | null;
  tax_form: 'w9' | 'w8ben' | null;
  tax_form_received_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface PayoutSettingsTable {
  program_id: string;
  /** JSON array of PayoutMethod. */
  allowed_methods: string;
  schedule: 'manual' | 'weekly' | 'monthly';
  /** ISO weekday 1–7 for weekly, day of month 1–28 for monthly. */
  schedule_day: number | null;
  require_tax_form: number;
  require_invoicing_details: number;
  /** 1: the program pays only with a self-billing invoice (the creator's consent needed). */
  require_self_billing: number;
  /** The brand's Stripe secret key for Connect transfers, sealed. */
  stripe_key_sealed: string | null;
  stripe_key_hint: string | null;
  last_scheduled_at: string | null;
  updated_at: string;
}

export interface PayoutRunsTable {
  id: string;
  workspace_id: string;
  program_id: string;
  currency: string;
  cutoff: string;
  trigger: 'api' | 'schedule' | 'cli';
  actor: string;
  payout_count: number;
  total_amount: number;
  /** JSON: carried-forward and blocked creators with their reasons. */
  summary: string;
  created_at: string;
}

export interface PayoutsTable {
  id: string;
  run_id: string;
  workspace_id: string;
  program_id: string;
  creator_id: string;
  /** What the payout's ledger entries add up to (its commissions, net of reversals). */
  amount: number;
  /** VAT the creator's invoice adds on top: the money sent is `amount + vat_amount` (0 if left out). */
  vat_amount: Generated<number>;
  currency: string;
  method: PayoutMethod;
  status: PayoutStatus;
  entry_count: number;
  /** Where the money goes, masked. */
  destination: string | null;
  /** The profile's sealed details when the run was made: the file pays where the run said. */
  details_sealed: string | null;
  failure_code: string | null;
  failure_reason: string | null;
  reference: string | null;
  transfer_id: string | null;
  created_at: string;
  updated_at: string;
  paid_at: string | null;
  failed_at: string | null;
}

export interface PayoutItemsTable {
  payout_id: string;
  commission_id: string;
  amount: number;
}

export interface PayoutEventsTable {
  id: string;
  payout_id: string;
  from_status: PayoutStatus | null;
  to_status: PayoutStatus;
  reason: string | null;
  actor: string;
  at: string;
}

export interface PayoutFlagsTable {
  id: string;
  creator_id: string;
  other_creator_id: string;
  destination_kind: 'account' | 'email' | 'stripe';
  status: 'open' | 'cleared' | 'confirmed';
  resolution_note: string | null;
  resolved_by: string | null;
  created_at: string;
  resolved_at: string | null;
}

/** A creator's consent to self-billing: the brand issues the creator's invoices. Given once. */
export interface SelfBillingConsentsTable {
  creator_id: string;
  agreement: string;
  actor: string;
  given_at: string;
}

/** The last invoice number issued for a creator by a brand: numbers run 1, 2, 3 … without gaps. */
export interface InvoiceSequencesTable {
  workspace_id: string;
  creator_id: string;
  last_number: number;
}

export type VatTreatment = 'vat_added' | 'reverse_charge' | 'not_vat_registered';

/** The self-billing invoice of a payout, with both parties' details as they were when issued. */
export interface InvoicesTable {
  id: string;
  payout_id: string;
  workspace_id: string;
  creator_id: string;
  number: number;
  /** JSON InvoiceParty. */
  seller: string;
  /** JSON InvoiceParty. */
  buyer: string;
  vat_treatment: VatTreatment;
  vat_rate_bps: number;
  net_amount: number;
  vat_amount: number;
  currency: string;
  issued_at: string;
}

/** The credit note that cancels a failed payout's invoice: its amounts negated, numbered in its series. */
export interface CreditNotesTable {
  id: string;
  invoice_id: string;
  payout_id: string;
  workspace_id: string;
  creator_id: string;
  number: number;
  reason: string;
  net_amount: number;
  vat_amount: number;
  currency: string;
  issued_at: string;
}

export interface ContentViewsTable {
  content_id: string;
  at: string;
  /** The view count the platform showed at `at`: a running total. */
  views: number;
  /** views minus the count before it (all of them for the first): the views of a period are a sum. */
  gained: number;
  /** Who told it: a user id, an API key id, or `import`. */
  recorded_by: string;
  recorded_at: string;
}

/** Views gained per program, UTC hour and creator ('' for the program's totals): see analytics/view-rollups.ts. */
export interface ViewStatsHourlyTable {
  program_id: string;
  hour: string;
  creator_id: string;
  views: number;
}

/** Additive numbers of attributed conversions per program, UTC hour, dimension value and creator. */
export interface ConversionStatsHourlyTable {
  program_id: string;
  /** `all` (value '') or one of link, content, code, product, country, device, browser, os, referrer, placement. */
  dimension: string;
  hour: string;
  value: string;
  /** The creator; '' for the program's totals (kept under dimensions all, country and device). */
  creator_id: string;
  leads: number;
  sales: number;
  gmv: number;
  refunds: number;
  commissions: number;
}

/** What a creator has earned in a program: the running sum of its positive entries (the ledger's). */
export interface CreatorEarningsTable {
  program_id: string;
  creator_id: string;
  /** Minor units of the program's currency; a string on PostgreSQL (bigint). */
  earned: number | string;
}

export type EmailStatus = 'outbox' | 'queued' | 'sending' | 'sent' | 'failed';

/** Every email the instance writes: the operator's outbox, and the delivery queue with SMTP. */
export interface EmailMessagesTable {
  id: string;
  kind: string;
  to_address: string;
  user_id: string | null;
  locale: string;
  subject: string;
  /** Dropped once the message is delivered: links in it (a password reset) stay out of the database. */
  text_body: string | null;
  html_body: string | null;
  status: EmailStatus;
  attempts: number;
  last_error: string | null;
  transport_id: string | null;
  next_attempt_at: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface EmailPreferencesTable {
  user_id: string;
  locale: string;
  /** JSON array of the kinds the person has turned off. */
  disabled_kinds: string;
  updated_at: string;
}

export interface EmailTokensTable {
  id: string;
  user_id: string;
  purpose: 'verify_email' | 'reset_password';
  email: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface MailCursorsTable {
  name: string;
  position: string;
  updated_at: string;
}

export interface NetworkFeePlansTable {
  workspace_id: string;
  currency: string;
  setup_fee_amount: number;
  sale_fee_bps: number;
  monthly_fee_amount: number | null;
  /** The first day (YYYY-MM-DD) whose month is charged the monthly fee. */
  starts_on: string;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export type NetworkFeeKind = 'setup' | 'monthly' | 'sale' | 'reversal';

/** Every network fee accrued on a brand workspace, and every reversal of one (negative). */
export interface NetworkFeesTable {
  id: string;
  workspace_id: string;
  program_id: string | null;
  conversion_id: string | null;
  kind: NetworkFeeKind;
  dedupe_key: string;
  period: string | null;
  base_amount: number;
  fee_bps: number | null;
  amount: number;
  currency: string;
  explanation: string;
  at: string;
  created_at: string;
}

export interface Database {
  payout_profiles: PayoutProfilesTable;
  payout_settings: PayoutSettingsTable;
  payout_runs: PayoutRunsTable;
  payouts: PayoutsTable;
  payout_items: PayoutItemsTable;
  payout_events: PayoutEventsTable;
  payout_flags: PayoutFlagsTable;
  self_billing_consents: SelfBillingConsentsTable;
  invoice_sequences: InvoiceSequencesTable;
  invoices: InvoicesTable;
  credit_notes: CreditNotesTable;
  content_views: ContentViewsTable;
  conversion_stats_hourly: ConversionStatsHourlyTable;
  view_stats_hourly: ViewStatsHourlyTable;
  creator_earnings: CreatorEarningsTable;
  network_fee_plans: NetworkFeePlansTable;
  network_fees: NetworkFeesTable;
  email_messages: EmailMessagesTable;
  email_preferences: EmailPreferencesTable;
  email_tokens: EmailTokensTable;
  mail_cursors: MailCursorsTable;
  fraud_settings: FraudSettingsTable;
  code_uses: CodeUsesTable;
  bio_pages: BioPagesTable;
  bio_links: BioLinksTable;
  bio_code_copies: BioCodeCopiesTable;
  link_checks: LinkChecksTable;
  code_use_days: CodeUseDaysTable;
  code_alerts: CodeAlertsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_unconfigured_counts: WebhookUnconfiguredCountsTable;
  stripe_refunds_seen: StripeRefundsSeenTable;
  stripe_invoice_payments: StripeInvoicePaymentsTable;
  workspace_domains: WorkspaceDomainsTable;
  brand_invitations: BrandInvitationsTable;
  customers: CustomersTable;
  conversions: ConversionsTable;
  conversion_lines: ConversionLinesTable;
  order_aliases: OrderAliasesTable;
  refunds: RefundsTable;
  commissions: CommissionsTable;
  commission_events: CommissionEventsTable;
  exchange_rates: ExchangeRatesTable;
  rate_changes: RateChangesTable;
  enrollments: EnrollmentsTable;
  enrollment_events: EnrollmentEventsTable;
  contents: ContentsTable;
  codes: CodesTable;
  integrations: IntegrationsTable;
  test_orders: TestOrdersTable;
  links: LinksTable;
  link_destinations: LinkDestinationsTable;
  clicks: ClicksTable;
  click_visitors: ClickVisitorsTable;
  visitor_salts: VisitorSaltsTable;
  link_stats_hourly: LinkStatsHourlyTable;
  link_stats_daily: LinkStatsDailyTable;
  click_stats_hourly: ClickStatsHourlyTable;
  click_stats_daily: ClickStatsDailyTable;
  users: UsersTable;
  workspaces: WorkspacesTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  creators: CreatorsTable;
  social_accounts: SocialAccountsTable;
  programs: ProgramsTable;
  products: ProductsTable;
}
