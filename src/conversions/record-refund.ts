/**
 * Recording a refund: kept once by its own id, applied to its sale line by line (or kept until
 * the sale arrives), each line's commissions reversed by the ledger in proportion to what the
 * line has had refunded in all.
 */

import { rollingUp } from '../analytics/rollups.js';
import { convert } from '../commissions/arithmetic.js';
import { money } from '../commissions/explain.js';
import * as ledger from '../commissions/ledger.js';
import { entriesOf, sumOf } from '../commissions/repository.js';
import type { DbOrTx } from '../db/database.js';
import { settleNetworkFees } from '../network-fees/settle.js';
import { AppError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { WorkspaceScope } from '../shared/principal.js';
import { type ConversionsContext, loadProgram, lockOrders, recordIn } from './context.js';
import { type ConversionOutcome, parseInput, type RecordOptions, type RefundInput, refundInput } from './contract.js';
import { refundShares } from './refund-shares.js';
import {
  type ConversionRow,
  findConversionById,
  findRefund,
  findSaleByOrder,
  insertRefund,
  type LineRow,
  linesOf,
  type RefundRow,
  setRefunded,
} from './repository.js';
import { conflict, fingerprint, occurredAt } from './steps.js';

const printOf = (input: RefundInput) =>
  fingerprint({
    orderId: input.orderId,
    currency: input.currency ?? null,
    lines: (input.lines ?? []).map((l) => [l.lineId ?? null, l.productId ?? null, l.amount]),
    amount: input.amount ?? null,
  });

/** A refund seen before: nothing changes, unless it now says something else. */
async function repeated(tx: DbOrTx, existing: RefundRow, input: RefundInput, print: string) {
  if (existing.fingerprint !== print)
    throw conflict(`Refund ${input.refundId} was already recorded with other contents`);
  const sale = existing.conversion_id ? await findConversionById(tx, existing.conversion_id) : undefined;
  return {
    conversionId: sale?.id ?? null,
    duplicate: true,
    status: 'duplicate',
    attribution: sale?.attribution ?? null,
    creatorId: sale?.creator_id ?? null,
    commissionIds: [],
    summary: `refund ${input.refundId} was already recorded: nothing changed`,
  } satisfies ConversionOutcome;
}

/** The refund's amounts in the sale's program currency, when the refund names the sale's original currency. */
function inProgramCurrencyOf(conversion: ConversionRow, input: RefundInput) {
  return (amount: number) =>
    input.currency &&
    input.currency !== conversion.currency &&
    conversion.exchange_rate &&
    input.currency === conversion.original_currency
      ? convert(amount, conversion.original_currency, conversion.currency, conversion.exchange_rate)
      : amount;
}

/**
 * A refund of money rather than lines takes back shipping and tax too: of the lines (the
 * commissionable base) it takes only its part of what the shopper paid in all — the platform's
 * gross amount the refund is a part of, else the sale's own gross total. Exact in BigInt.
 */
function ofTheLines(conversion: ConversionRow, input: RefundInput): RefundInput {
  if (input.amount === undefined || (input.lines && input.lines.length > 0)) return input;
  const gross = input.ofGross ?? conversion.gross_amount ?? null;
  if (!gross || gross <= conversion.original_amount) return input;
  const part = (BigInt(Math.min(input.amount, gross)) * BigInt(conversion.original_amount)) / BigInt(gross);
  return { ...input, amount: Number(part) };
}

/** A refund naming a line the sale does not have is refused, naming it (422 UNKNOWN_LINE). */
function checkNamedLines(lines: LineRow[], conversion: ConversionRow, input: RefundInput): void {
  for (const [i, r] of (input.lines ?? []).entries()) {
    if (!r.lineId) continue;
    const known =
      lines.some((l) => l.line_id === r.lineId) ||
      (r.productId ? lines.some((l) => l.product_id === r.productId || l.external_product_id === r.productId) : false);
    if (!known) {
      const ids = lines.map((l) => l.line_id).filter((id): id is string => id !== null);
      const message = `Line ${r.lineId} is not a line of order ${conversion.external_id}${
        ids.length ? ` (its lines: ${ids.join(', ')})` : ''
      }`;
      throw new AppError('UNKNOWN_LINE', message, [{ path: `lines.${i}.lineId`, message }]);
    }
  }
}

const nameOf = (line: LineRow) => line.name ?? line.external_product_id ?? `line ${line.line_no}`;

/**
 * Reverses what a refund takes back, line by line; returns the ledger entries written. Once the
 * whole order has been refunded, lines of no amount (a free gift that earned a flat rate) are
 * reversed too, so a full refund nets the order's commissions to exactly zero.
 */
export async function applyRefund(
  ctx: ConversionsContext,
  tx: DbOrTx,
  conversion: ConversionRow,
  refundId: string,
  input: RefundInput,
): Promise<string[]> {
  const lines = await linesOf(tx, conversion.id);
  const refundOf = refundShares(lines, ofTheLines(conversion, input), inProgramCurrencyOf(conversion, input));
  // On PostgreSQL the entries are locked until the refund commits, so that a payout run taking
  // them waits for it (and sees its reversals), or the refund sees them in the payout.
  const entries = await entriesOf(tx, conversion.id, ctx.dialect === 'postgres');
  const refund = { refundId, source: input.source, at: ctx.clock.now() };
  const written: string[] = [];
  for (const line of lines) {
    const add = refundOf.get(line.line_no) ?? 0;
    if (add <= 0) continue;
    const refundedTotal = Math.min(line.amount, line.refunded_amount + add);
    if (refundedTotal === line.refunded_amount) continue;
    await setRefunded(tx, conversion.id, line.line_no, refundedTotal);
    written.push(
      ...(await ledger.reverseLine(
        tx,
        entries,
        {
          conversionId: conversion.id,
          lineNo: line.line_no,
          amount: line.amount,
          name: nameOf(line),
          refundedBefore: line.refunded_amount,
          refundedTotal,
        },
        refund,
      )),
    );
    line.refunded_amount = refundedTotal;
  }
  if (lines.every((l) => l.refunded_amount >= l.amount)) {
    for (const line of lines.filter((l) => l.amount === 0)) {
      written.push(
        ...(await ledger.reverseLine(
          tx,
          entries,
          {
            conversionId: conversion.id,
            lineNo: line.line_no,
            amount: 0,
            name: nameOf(line),
            refundedBefore: 0,
            refundedTotal: 0,
          },
          refund,
        )),
      );
    }
  }
  return written;
}

export async function recordRefund(
  ctx: ConversionsContext,
  scope: WorkspaceScope,
  given: RefundInput,
  options?: RecordOptions,
): Promise<ConversionOutcome> {
  const input = parseInput(refundInput, given);
  const at = occurredAt(input.occurredAt, ctx.clock);
  const print = printOf(input);
  return recordIn(ctx, scope, options, async (tx) => {
    const program = await loadProgram(ctx, tx, scope, input.programId);
    await lockOrders(ctx, tx, program.id, [input.orderId]);
    const existing = await findRefund(tx, program.id, input.refundId);
    if (existing) return repeated(tx, existing, input, print);
    const sale = await findSaleByOrder(tx, program.id, input.orderId);
    if (sale) checkNamedLines(await linesOf(tx, sale.id), sale, input);
    await insertRefund(tx, {
      id: newId('refund', at.getTime()),
      workspace_id: scope.workspaceId,
      program_id: program.id,
      external_id: input.refundId,
      order_id: input.orderId,
      conversion_id: sale?.id ?? null,
      fingerprint: print,
      source: input.source,
      request: JSON.stringify(input),
      amount: input.amount ?? (input.lines ?? []).reduce((s, l) => s + l.amount, 0),
      status: sale ? 'applied' : 'waiting',
      occurred_at: at.toISOString(),
      created_at: ctx.clock.now().toISOString(),
    });
    if (!sale) {
      return {
        conversionId: null,
        duplicate: false,
        status: 'refund_waiting_for_sale',
        attribution: null,
        creatorId: null,
        commissionIds: [],
        summary: `refund ${input.refundId} of order ${input.orderId} kept until the sale arrives`,
      };
    }
    // Analytics' rollups follow what the refund takes back, in its transaction.
    const ids = await rollingUp(tx, [sale.id], () => applyRefund(ctx, tx, sale, input.refundId, input));
    await settleNetworkFees(tx, sale.id, ctx.clock.now().toISOString());
    const reversed = await sumOf(tx, ids);
    return {
      conversionId: sale.id,
      duplicate: false,
      status: 'recorded',
      attribution: sale.attribution,
      creatorId: sale.creator_id,
      commissionIds: ids,
      summary: `refund ${input.refundId} of order ${input.orderId}: ${money(reversed, sale.currency)} of commission reversed`,
    };
  });
}
