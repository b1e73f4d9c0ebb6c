import { z } from 'zod';
import { locales } from '../mail/kinds.js';
import { isMonth } from './month.js';

const month = z
  .string()
  .refine(isMonth, 'must be a month as YYYY-MM')
  .meta({ example: '2026-12', description: 'A calendar month (UTC)' });

const common = {
  month,
  format: z.enum(['json', 'csv', 'html']).default('json').meta({ description: 'html is printable' }),
  lang: z.enum(locales).default('en').meta({ description: 'The language of the HTML: en or fi' }),
};

export const creatorStatementQuery = z.strictObject({ programId: z.string().min(1).max(64), ...common });
export const brandCreatorStatementQuery = z.strictObject({ creatorId: z.string().min(1).max(64), ...common });
export const brandStatementQuery = z.strictObject(common);

const statuses = z.enum(['pending', 'approved', 'paid', 'reversed', 'rejected']);

const statementPayout = z
  .object({
    id: z.string(),
    programId: z.string(),
    creatorId: z.string(),
    creatorName: z.string(),
    amount: z.number().int().meta({ description: 'the money sent: commissions plus any VAT on top' }),
    commissionAmount: z.number().int().meta({ description: "what the payout's ledger entries add up to" }),
    vatAmount: z.number().int().meta({ description: "VAT the creator's invoice adds on top of the commissions" }),
    currency: z.string(),
    method: z.string(),
    status: z.enum(['pending', 'processing', 'paid', 'failed']).meta({ description: 'Its status now' }),
    createdAt: z.string(),
    paidAt: z.string().nullable(),
    failedAt: z.string().nullable(),
    reference: z.string().nullable(),
    failureReason: z.string().nullable(),
  })
  .meta({ id: 'StatementPayout', description: 'A payout made, paid or failed in the month' });

export const creatorStatementSchema = z
  .object({
    kind: z.literal('creator'),
    month: z.string(),
    program: z.object({ id: z.string(), name: z.string(), brand: z.string() }),
    creator: z.object({ id: z.string(), name: z.string() }),
    currency: z.string(),
    entries: z.array(
      z.object({
        id: z.string(),
        at: z.string(),
        kind: z.enum(['sale', 'lead', 'reversal']),
        orderId: z.string(),
        status: statuses.meta({ description: 'Its status now' }),
        amount: z.number().int(),
        explanation: z.string(),
      }),
    ),
    changes: z.array(
      z.object({
        commissionId: z.string(),
        at: z.string(),
        from: statuses.nullable(),
        to: statuses,
        reason: z.string().nullable(),
      }),
    ),
    totals: z.object({ earned: z.number().int(), reversed: z.number().int(), net: z.number().int() }),
    closing: z
      .object({ pending: z.number().int(), approved: z.number().int(), paid: z.number().int() })
      .meta({ description: "The balances as they stood at the month's end" }),
    payouts: z.array(statementPayout),
  })
  .meta({ id: 'CreatorStatement' });

export const brandStatementSchema = z
  .object({
    kind: z.literal('brand'),
    month: z.string(),
    workspace: z.object({ id: z.string(), name: z.string() }),
    programs: z.array(
      z.object({
        programId: z.string(),
        programName: z.string(),
        currency: z.string(),
        sales: z.number().int(),
        salesAmount: z.number().int(),
        attributedSales: z.number().int(),
        attributedAmount: z.number().int(),
        commissionsEarned: z.number().int(),
        commissionsReversed: z.number().int(),
        payoutsPaid: z.number().int().meta({ description: 'payouts paid in the month (and not failed since)' }),
        payoutsPaidAmount: z.number().int(),
      }),
    ),
    networkFees: z.array(
      z.object({
        id: z.string(),
        at: z.string(),
        kind: z.enum(['setup', 'monthly', 'sale', 'reversal']),
        amount: z.number().int(),
        currency: z.string(),
        explanation: z.string(),
      }),
    ),
    networkFeeTotals: z.array(z.object({ currency: z.string(), amount: z.number().int() })),
    payouts: z.array(statementPayout),
    payoutTotals: z.array(
      z.object({
        currency: z.string(),
        paid: z.number().int().meta({ description: 'paid out in the month' }),
        failed: z.number().int().meta({ description: 'failed in the month, back in the creators’ balances' }),
      }),
    ),
  })
  .meta({ id: 'BrandStatement' });
