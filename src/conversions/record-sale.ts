/**
 * Recording a sale: once per order id, in the program's currency, attributed by code, click or
 * returning customer, each line priced by the commission rules, held for review when a fraud
 * check says so, written to the ledger, and any refund that came first applied.
 */

import { rollUp } from '../analytics/rollups.js';
import { attribute } from '../attribution/attribute.js';
import { money } from '../commissions/explain.js';
import * as ledger from '../commissions/ledger.js';
import { chooseRate, orderCommissions } from '../commissions/rules.js';
import type { Db, DbOrTx } from '../db/database.js';
import { checkSale, fraudSettings, type Hold, type LateWrites } from '../fraud/check.js';
import { settleNetworkFees } from '../network-fees/settle.js';
import { changesSince, rateChangesOf } from '../programs/rate-changes.js';
import { rateFromColumns } from '../programs/repository.js';
import type { Program } from '../programs/schemas.js';
import type { WorkspaceScope } from '../shared/principal.js';
import type { Candidates } from './candidates.js';
import { candidates } from './candidates.js';
import { type ConversionsContext, kept, loadProgram, lockOrders, namesFor, productsOf, recordIn } from './context.js';
import {
  type ConversionOutcome,
  parseInput,
  type RecordOptions,
  type RefundInput,
  type SaleInput,
  saleInput,
} from './contract.js';
import { checkTotals } from './exact-range.js';
import type { ProductRef } from './lookups.js';
import { conversionView } from './read.js';
import { applyEdit } from './record-edit.js';
import { applyRefund } from './record-refund.js';
import {
  type ConversionRow,
  findConversion,
  insertAliases,
  insertConversion,
  insertLines,
  type LineRow,
  salesBetween,
  setRefundApplied,
  setSourceUpdatedAt,
  waitingRefunds,
} from './repository.js';
import { saleEntries } from './sale-entries.js';
import { inProgramCurrency, lineRowsOf, printOf, saleRow } from './sale-rows.js';
import {
  type CustomerFound,
  changedOrder,
  conflict,
  lookUpCustomer,
  occurredAt,
  outcomeOf,
  rememberCustomer,
} from './steps.js';

const monthBounds = (at: Date): [string, string] => [
  new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)).toISOString(),
  new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)).toISOString(),
];

/** The rate each line earns the winner, and the commission of each line. */
async function priceLines(
  ctx: ConversionsContext,
  tx: DbOrTx,
  program: Program,
  found: Candidates,
  winner: string,
  lineRows: LineRow[],
  productOf: (ref?: string | null) => ProductRef | undefined,
  input: SaleInput,
  at: Date,
) {
  const enrollment = found.enrollments.find((e) => e.creator_id === winner);
  const changes = changesSince(
    await kept(ctx, program.id, 'rateChanges', () => rateChangesOf(tx, program.id)),
    enrollment?.id ?? null,
    enrollment?.created_at ?? program.createdAt,
  );
  // The month's sales matter only to a program with tiers; the sum is not run for the others.
  const monthSales = program.tiers.length > 0 ? await salesBetween(tx, program.id, winner, ...monthBounds(at)) : 0;
  const creatorRate =
    enrollment?.rate_type && enrollment.rate_value !== null
      ? rateFromColumns(enrollment.rate_type, enrollment.rate_value)
      : null;
  const priced = lineRows.map((l) => {
    const product = productOf(input.lines[l.line_no - 1]?.productId);
    const chosen = chooseRate({
      programRate: program.defaultRate,
      programRateChanges: changes.filter((c) => c.enrollmentId === null),
      creatorRate,
      creatorRateChanges: changes.filter((c) => c.enrollmentId !== null),
      productRate:
        product?.rate_type && product.rate_value !== null
          ? rateFromColumns(product.rate_type, product.rate_value)
          : null,
      tiers: program.tiers,
      monthSales,
      noticeDays: program.rateCutNoticeDays,
      at,
    });
    return { amount: l.amount, quantity: l.quantity, chosen };
  });
  return { priced, amounts: orderCommissions(priced) };
}

/** The fraud checks of an attributed sale: the holds its commissions get (none for a normal sale). */
async function holdsOf(
  ctx: ConversionsContext,
  tx: DbOrTx,
  scope: WorkspaceScope,
  program: Program,
  conversion: ConversionRow,
  input: SaleInput,
  found: Candidates,
  customer: CustomerFound,
  winner: string,
  rule: 'code' | 'click' | 'customer',
  late: LateWrites,
): Promise<Hold[]> {
  return checkSale(
    tx as Db,
    {
      workspaceId: scope.workspaceId,
      programId: program.id,
      conversionId: conversion.id,
      orderId: input.orderId,
      occurredAt: conversion.occurred_at,
      creatorId: winner,
      attribution: rule,
      codeId: found.code && found.code.creatorId === winner ? found.code.codeId : null,
      click: found.click
        ? {
            linkId: found.click.linkId,
            visitorHash: found.click.visitorHash,
            at: found.click.at,
            creatorId: found.click.creatorId,
            country: found.click.country,
          }
        : null,
      customerId: conversion.customer_id,
      customerEmail: input.customerEmail?.trim().toLowerCase() ?? null,
      isNewCustomer: !customer.row,
      referrer: input.referrer ?? null,
      amount: conversion.amount,
    },
    ctx.clock.now(),
    late,
    await kept(ctx, program.id, 'fraud', () => fraudSettings(tx as Db, program.id)),
  );
}

/** Refunds that arrived before their sale are applied now; answers the entries they wrote. */
async function applyEarlyRefunds(
  ctx: ConversionsContext,
  tx: DbOrTx,
  program: Program,
  conversion: ConversionRow,
  input: SaleInput,
): Promise<{ count: number; ids: string[] }> {
  const early = await waitingRefunds(tx, program.id, [input.orderId, ...(input.aliases ?? [])]);
  const ids: string[] = [];
  for (const refund of early) {
    ids.push(
      ...(await applyRefund(ctx, tx, conversion, refund.external_id, JSON.parse(refund.request) as RefundInput)),
    );
    await setRefundApplied(tx, refund.id, conversion.id);
  }
  return { count: early.length, ids };
}

export async function recordSale(
  ctx: ConversionsContext,
  scope: WorkspaceScope,
  given: SaleInput,
  options?: RecordOptions,
): Promise<ConversionOutcome> {
  const input = parseInput(saleInput, given);
  const at = occurredAt(input.occurredAt, ctx.clock);
  const print = printOf(input, at);
  return recordIn(ctx, scope, options, async (tx) => {
    const program = await loadProgram(ctx, tx, scope, input.programId);
    await lockOrders(ctx, tx, program.id, [input.orderId, ...(input.aliases ?? [])]);
    const existing = await findConversion(tx, program.id, 'sale', input.orderId);
    if (existing) {
      // The platform's updates of an order may come out of order: one older than the state
      // recorded changes nothing; a newer one that changed nothing counted is remembered as seen.
      const updatedAt = input.updatedAt ? new Date(input.updatedAt).toISOString() : null;
      const recordedAt = existing.source_updated_at;
      if (updatedAt && recordedAt && updatedAt < recordedAt) {
        return {
          ...outcomeOf(existing, 'sale', true, [], ''),
          summary: `order ${input.orderId}: this update (changed ${updatedAt}) is older than the state recorded (${recordedAt}): nothing changed`,
        };
      }
      if (updatedAt && (!recordedAt || updatedAt > recordedAt)) await setSourceUpdatedAt(tx, existing.id, updatedAt);
      // A platform's edit of a paid order: read again, the commission adjusted, never refused.
      if (
        existing.fingerprint !== print &&
        options?.conflicts === 'edit' &&
        input.currency === existing.original_currency
      ) {
        const priced = await inProgramCurrency(tx, program, input);
        checkTotals(priced);
        return applyEdit(ctx, tx, program, existing, input, print, priced.lines);
      }
      if (existing.fingerprint !== print) {
        const message = `Order ${input.orderId} was already recorded with other contents; an order id names one sale`;
        if (options?.conflicts === 'report') return changedOrder(message);
        throw conflict(message);
      }
      return outcomeOf(existing, 'sale', true, [], '');
    }
    const names = namesFor(tx);
    const priced = await inProgramCurrency(tx, program, input);
    checkTotals(priced);
    // Products named by their Kumppani id or the shop's own id.
    const wanted = [...new Set(priced.lines.map((l) => l.productId).filter((p): p is string => !!p))];
    const products = await productsOf(ctx, tx, program.id, wanted);
    const productOf = (ref?: string | null) => (ref ? (products.get(ref) ?? undefined) : undefined);

    const customer = await lookUpCustomer(tx, program, ctx.secret, input, (keys) =>
      lockOrders(ctx, tx, program.id, keys),
    );
    const found = await candidates(ctx, tx, program, at, input, customer.row);
    for (const e of found.enrollments) names.know(e.creator_id, e.creator_name);
    const result = attribute(program, at, found);
    const winner = result.attributed ? result.creatorId : null;
    const conversion = saleRow(ctx, scope, program, input, print, priced, found, result, at);
    // The customer first (neither table points at the other with a foreign key), so the
    // conversion is written once, with its customer.
    conversion.customer_id = await rememberCustomer(tx, scope, program, input, customer, {
      id: conversion.id,
      winner,
      at: conversion.occurred_at,
      now: ctx.clock.now(),
    });
    await insertConversion(tx, conversion);
    const lineRows = lineRowsOf(conversion.id, priced, productOf);
    await insertLines(tx, lineRows);
    await insertAliases(tx, program.id, conversion.id, input.aliases ?? []);

    const commissionIds: string[] = [];
    // Updates of rows that other sales share, made last so they stay locked for least time.
    const late: LateWrites = [];
    let written: ledger.CommissionRow[] = [];
    let summary = `sale ${input.orderId} of ${money(priced.total, program.currency)}: unattributed (${
      result.attributed ? '' : result.reasons.join('; ')
    })`;
    if (result.attributed && winner) {
      const { priced: rates, amounts } = await priceLines(
        ctx,
        tx,
        program,
        found,
        winner,
        lineRows,
        productOf,
        input,
        at,
      );
      const holds = await holdsOf(
        ctx,
        tx,
        scope,
        program,
        conversion,
        input,
        found,
        customer,
        winner,
        result.rule,
        late,
      );
      const made = await saleEntries(tx, {
        program,
        conversion,
        input,
        priced,
        lineRows,
        rates,
        amounts,
        holds,
        found,
        evidence: result.evidence,
        names,
        now: ctx.clock.now(),
        late,
      });
      written = made.written;
      commissionIds.push(...made.written.map((r) => r.id));
      summary = made.summary;
    }
    const early = await applyEarlyRefunds(ctx, tx, program, conversion, input);
    commissionIds.push(...early.ids);
    if (early.count > 0) summary += `; ${early.count} earlier refund${early.count === 1 ? '' : 's'} applied`;
    for (const write of late) await write();
    // In network mode, the operator's fee on the sale accrues with it (and what refunds took back).
    await settleNetworkFees(tx, conversion.id, ctx.clock.now().toISOString());
    // Analytics' rollups take the sale as it now stands, earlier refunds included.
    await rollUp(tx, conversion.id);
    const outcome = outcomeOf(conversion, 'sale', false, commissionIds, summary);
    // What was just written is what a read would find; with earlier refunds applied, it is read.
    if (options?.withView && early.count === 0) {
      outcome.view = conversionView(
        conversion,
        lineRows,
        written
          .map((r) =>
            ledger.toCommission({ ...r, order_id: conversion.external_id, attribution: conversion.attribution }),
          )
          .sort((a, b) => (a.id < b.id ? -1 : 1)),
      );
    }
    return outcome;
  });
}
