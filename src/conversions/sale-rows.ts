/**
 * The rows a sale writes, worked out from its input: its fingerprint (an order id names one
 * sale), its lines in the program's currency, the conversion row and the line rows.
 */
import type { AttributionResult } from '../attribution/attribute.js';
import { convert } from '../commissions/arithmetic.js';
import type { DbOrTx } from '../db/database.js';
import type { Program } from '../programs/schemas.js';
import { newId } from '../shared/ids.js';
import type { WorkspaceScope } from '../shared/principal.js';
import type { Candidates } from './candidates.js';
import { type ConversionsContext, exchangeRate } from './context.js';
import type { SaleInput } from './contract.js';
import type { ProductRef } from './lookups.js';
import type { ConversionRow, LineRow } from './repository.js';
import { fingerprint } from './steps.js';

export const printOf = (input: SaleInput, at: Date) =>
  fingerprint({
    currency: input.currency,
    lines: input.lines.map((l) => [l.lineId ?? null, l.productId ?? null, l.amount, l.quantity]),
    clickId: input.clickId ?? null,
    codes: [...(input.couponCodes ?? [])].map((c) => c.trim().toUpperCase()).sort(),
    customerId: input.customerId ?? null,
    customerEmail: input.customerEmail?.trim().toLowerCase() ?? null,
    subscriptionId: input.subscriptionId ?? null,
    occurredAt: input.occurredAt ? at.toISOString() : null,
  });

/** The sale's lines in the program's currency; the original amounts kept when the sale was in another. */
export async function inProgramCurrency(tx: DbOrTx, program: Program, input: SaleInput) {
  let rate: string | null = null;
  const lines = input.lines.map((l) => ({ ...l, original: l.amount }));
  if (input.currency !== program.currency) {
    rate = await exchangeRate(tx, input.currency, program.currency);
    for (const l of lines) {
      l.amount = convert(l.original, input.currency, program.currency, rate);
      if (l.discountAmount) l.discountAmount = convert(l.discountAmount, input.currency, program.currency, rate);
    }
  }
  return {
    lines,
    rate,
    total: lines.reduce((s, l) => s + l.amount, 0),
    originalTotal: lines.reduce((s, l) => s + l.original, 0),
  };
}

export type Priced = Awaited<ReturnType<typeof inProgramCurrency>>;

export function saleRow(
  ctx: ConversionsContext,
  scope: WorkspaceScope,
  program: Program,
  input: SaleInput,
  print: string,
  priced: Priced,
  found: Candidates,
  result: AttributionResult,
  at: Date,
): ConversionRow {
  return {
    id: newId('conversion', at.getTime()),
    workspace_id: scope.workspaceId,
    program_id: program.id,
    kind: 'sale',
    external_id: input.orderId,
    fingerprint: print,
    source: input.source,
    currency: program.currency,
    amount: priced.total,
    original_currency: input.currency,
    original_amount: priced.originalTotal,
    exchange_rate: priced.rate,
    click_id: input.clickId ?? null,
    code_id: found.code?.codeId ?? null,
    code: found.code?.code ?? input.couponCodes?.[0] ?? null,
    customer_id: null,
    subscription_id: input.subscriptionId ?? null,
    referrer: input.referrer ?? null,
    creator_id: result.attributed ? result.creatorId : null,
    attribution: result.attributed ? result.rule : null,
    evidence: JSON.stringify(
      result.attributed ? { ...result.evidence, passedOver: result.passedOver } : { reasons: result.reasons },
    ),
    occurred_at: at.toISOString(),
    created_at: ctx.clock.now().toISOString(),
    gross_amount: input.grossTotal ?? null,
    source_updated_at: input.updatedAt ? new Date(input.updatedAt).toISOString() : null,
  };
}

export function lineRowsOf(
  conversionId: string,
  priced: Priced,
  productOf: (ref?: string | null) => ProductRef | undefined,
) {
  return priced.lines.map((l, i): LineRow => {
    const product = productOf(l.productId);
    return {
      conversion_id: conversionId,
      line_no: i + 1,
      line_id: l.lineId ?? null,
      product_id: product?.id ?? null,
      external_product_id: product ? product.external_id : (l.productId ?? null),
      name: l.name ?? product?.name ?? null,
      quantity: l.quantity,
      amount: l.amount,
      discount_amount: l.discountAmount ?? null,
      refunded_amount: 0,
    };
  });
}
