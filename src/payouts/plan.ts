import { formatAmount } from '../shared/money.js';
import type { HeldCreator, PayoutMethodName } from './schemas.js';

/**
 * Who a payout run pays, pure: each creator's payable balance against the program's minimum,
 * methods and requirements. Every creator with a payable balance ends in exactly one list —
 * paid, carried forward, or blocked with the reason — never silently left out.
 */
export interface PlanProgram {
  currency: string;
  minPayoutAmount: number;
  allowedMethods: readonly PayoutMethodName[];
  requireTaxForm: boolean;
  requireInvoicingDetails: boolean;
  /**
   * Invoices carry both parties' full details: the creator's legal name, address and country are
   * needed. (Every payout has a self-billing invoice, so the creator's consent is needed always.)
   */
  requireSelfBilling?: boolean;
}

export interface PlanProfile {
  method: PayoutMethodName;
  currency: string | null;
  invoicingComplete: boolean;
  taxFormReceived: boolean;
  /** The creator agreed to self-billing: each payout comes with an invoice issued in its name. */
  selfBillingConsent: boolean;
}

export interface PlanBalance {
  creatorId: string;
  amount: number;
  entryCount: number;
}

export interface PlannedPayout extends PlanBalance {
  method: PayoutMethodName;
}

export interface Plan {
  payouts: PlannedPayout[];
  carriedForward: HeldCreator[];
  blocked: HeldCreator[];
}

const money = (amount: number, currency: string) => `${formatAmount(amount, currency)} ${currency}`;

export function planRun(
  program: PlanProgram,
  balances: readonly PlanBalance[],
  profileOf: (creatorId: string) => PlanProfile | undefined,
  underReview: (creatorId: string) => boolean,
  options: { methods?: readonly PayoutMethodName[] | undefined } = {},
): Plan {
  const plan: Plan = { payouts: [], carriedForward: [], blocked: [] };
  const { currency } = program;
  for (const b of balances) {
    const held = (reason: string, message: string): HeldCreator => ({ ...b, currency, reason, message });
    if (b.amount <= 0) {
      plan.carriedForward.push(
        held(
          'no_positive_balance',
          `The net balance is ${money(b.amount, currency)}: refunds of paid commissions outweigh new ones, so it is carried forward`,
        ),
      );
      continue;
    }
    if (b.amount < program.minPayoutAmount) {
      plan.carriedForward.push(
        held(
          'below_minimum',
          `${money(b.amount, currency)} is below the program's minimum payout of ${money(program.minPayoutAmount, currency)}; carried forward to the next run`,
        ),
      );
      continue;
    }
    const profile = profileOf(b.creatorId);
    if (!profile) {
      plan.blocked.push(held('no_payout_profile', 'The creator has not set up how to be paid (payout profile)'));
      continue;
    }
    if (options.methods && !options.methods.includes(profile.method)) {
      plan.blocked.push(held('not_in_this_run', `Paid by ${profile.method}, which this run does not include`));
      continue;
    }
    if (!program.allowedMethods.includes(profile.method)) {
      plan.blocked.push(
        held(
          'method_not_allowed',
          `The creator's payout method (${profile.method}) is not one this program pays by (${program.allowedMethods.join(', ')})`,
        ),
      );
      continue;
    }
    if (profile.method === 'sepa' && currency !== 'EUR') {
      plan.blocked.push(
        held('currency_mismatch', `A SEPA credit transfer is in euros; this program pays in ${currency}`),
      );
      continue;
    }
    if (underReview(b.creatorId)) {
      plan.blocked.push(
        held(
          'payout_details_under_review',
          'Another creator gave the same account or email: payouts wait until a brand manager has reviewed it',
        ),
      );
      continue;
    }
    if (program.requireTaxForm && !profile.taxFormReceived) {
      plan.blocked.push(held('tax_form_missing', 'The program needs a W-9 or W-8BEN tax form before it pays'));
      continue;
    }
    if (program.requireInvoicingDetails && !profile.invoicingComplete) {
      plan.blocked.push(
        held('invoicing_details_missing', 'The program needs the legal name, address and country for invoices'),
      );
      continue;
    }
    // Every payout has a self-billing invoice, issued by the brand in the creator's name, which
    // the creator must have agreed to first (VAT Directive, Article 224): no consent, no payout.
    if (!profile.selfBillingConsent) {
      plan.blocked.push(
        held(
          'self_billing_consent_missing',
          'Each payout comes with a self-billing invoice, issued by the brand in the creator’s name: the creator has not yet agreed to self-billing',
        ),
      );
      continue;
    }
    if (program.requireSelfBilling && !profile.invoicingComplete) {
      plan.blocked.push(
        held('invoicing_details_missing', 'The program needs the legal name, address and country for invoices'),
      );
      continue;
    }
    plan.payouts.push({ ...b, method: profile.method });
  }
  return plan;
}
