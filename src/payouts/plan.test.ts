import { describe, expect, it } from 'vitest';
import { type PlanProfile, type PlanProgram, planRun } from './plan.js';

const program: PlanProgram = {
  currency: 'EUR',
  minPayoutAmount: 5000,
  allowedMethods: ['sepa', 'paypal'],
  requireTaxForm: false,
  requireInvoicingDetails: false,
};
const sepa: PlanProfile = {
  method: 'sepa',
  currency: 'EUR',
  invoicingComplete: true,
  taxFormReceived: false,
  selfBillingConsent: true,
};

function outcome(
  amount: number,
  profile: PlanProfile | undefined,
  options: { program?: Partial<PlanProgram>; review?: boolean; methods?: ('sepa' | 'paypal')[] } = {},
): string {
  const plan = planRun(
    { ...program, ...options.program },
    [{ creatorId: 'cr_1', amount, entryCount: 1 }],
    () => profile,
    () => options.review ?? false,
    { methods: options.methods },
  );
  const paid = plan.payouts[0];
  if (paid) return `paid ${paid.amount} by ${paid.method}`;
  return (plan.carriedForward[0] ?? plan.blocked[0])?.reason ?? 'nothing';
}

describe('who a payout run pays', () => {
  it.each([
    ['at the minimum', 5000, sepa, {}, 'paid 5000 by sepa'],
    ['below the minimum', 4999, sepa, {}, 'below_minimum'],
    ['a negative net', -300, sepa, {}, 'no_positive_balance'],
    ['no profile', 9000, undefined, {}, 'no_payout_profile'],
    ['a method the program does not pay by', 9000, { ...sepa, method: 'wise' as const }, {}, 'method_not_allowed'],
    ['SEPA in a dollar program', 9000, sepa, { program: { currency: 'USD' } }, 'currency_mismatch'],
    ['details under review', 9000, sepa, { review: true }, 'payout_details_under_review'],
    ['no tax form where one is needed', 9000, sepa, { program: { requireTaxForm: true } }, 'tax_form_missing'],
    [
      'no invoicing details where they are needed',
      9000,
      { ...sepa, invoicingComplete: false },
      { program: { requireInvoicingDetails: true } },
      'invoicing_details_missing',
    ],
    ['a method outside the run', 9000, sepa, { methods: ['paypal' as const] }, 'not_in_this_run'],
    [
      'no consent to self-billing, in a program that does not ask for full invoicing details',
      9000,
      { ...sepa, selfBillingConsent: false },
      {},
      'self_billing_consent_missing',
    ],
    [
      'no invoicing details where full invoices are required',
      9000,
      { ...sepa, invoicingComplete: false },
      { program: { requireSelfBilling: true } },
      'invoicing_details_missing',
    ],
    [
      'no invoicing details where they are not required',
      9000,
      { ...sepa, invoicingComplete: false },
      {},
      'paid 9000 by sepa',
    ],
  ])('%s: %s', (_name, amount, profile, options, expected) => {
    expect(outcome(amount, profile, options)).toBe(expected);
  });

  it('lists every creator in exactly one of paid, carried forward and blocked', () => {
    const balances = [
      { creatorId: 'a', amount: 6000, entryCount: 2 },
      { creatorId: 'b', amount: 100, entryCount: 1 },
      { creatorId: 'c', amount: 7000, entryCount: 3 },
    ];
    const plan = planRun(
      program,
      balances,
      (id) => (id === 'c' ? undefined : sepa),
      () => false,
    );
    expect(plan.payouts.map((p) => p.creatorId)).toEqual(['a']);
    expect(plan.carriedForward.map((p) => p.creatorId)).toEqual(['b']);
    expect(plan.blocked.map((p) => p.creatorId)).toEqual(['c']);
  });
});
