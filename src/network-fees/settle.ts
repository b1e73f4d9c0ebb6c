/**
 * The network fee on each attributed sale, and its reversal with refunds: called in the same
 * transaction that records a sale or a refund. Idempotent and order-free: it brings the fees of
 * one conversion up to date with what the conversion and its refunds are now, so a repeated
 * delivery, a refund that arrived before its sale, or a second call change nothing.
 */
import type { DbOrTx } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { newId } from '../shared/ids.js';
import { formatAmount } from '../shared/money.js';
import { feeGivenBack, feeOf } from './arithmetic.js';
import * as repo from './repository.js';

const percent = (bps: number) => `${(bps / 100).toString()} %`;

// Compiled once: it runs for every sale and refund.
const feeContext = prepared(['id'], (db, v: { id: string }) =>
  db
    .selectFrom('conversions as c')
    .innerJoin('network_fee_plans as p', 'p.workspace_id', 'c.workspace_id')
    .select([
      'c.workspace_id',
      'c.program_id',
      'c.kind',
      'c.creator_id',
      'c.currency',
      'c.occurred_at',
      'c.external_id',
      'p.sale_fee_bps',
    ])
    .where('c.id', '=', v.id),
);

export async function settleNetworkFees(tx: DbOrTx, conversionId: string, now: string): Promise<void> {
  // One look-up answers most sales: a workspace with no plan has no fees to keep up to date
  // (plans are never removed, only set to zero).
  const conversion = await feeContext.first(tx, { id: conversionId });
  if (conversion?.kind !== 'sale' || !conversion.creator_id) return;
  const existing = await repo.feesOfConversion(tx, conversionId);
  let fee = existing.find((f) => f.kind === 'sale');
  if (!fee && conversion.sale_fee_bps === 0) return;
  const lines = await tx
    .selectFrom('conversion_lines')
    .select(['amount', 'refunded_amount'])
    .where('conversion_id', '=', conversionId)
    .execute();
  const base = lines.reduce((s, l) => s + l.amount, 0);
  const refunded = lines.reduce((s, l) => s + l.refunded_amount, 0);
  if (!fee) {
    const bps = conversion.sale_fee_bps;
    const amount = feeOf(base, bps);
    if (amount === 0) return;
    const row = {
      id: newId('networkFee'),
      workspace_id: conversion.workspace_id,
      program_id: conversion.program_id,
      conversion_id: conversionId,
      kind: 'sale' as const,
      dedupe_key: `sale:${conversionId}`,
      period: null,
      base_amount: base,
      fee_bps: bps,
      amount,
      currency: conversion.currency,
      explanation: `${percent(bps)} network fee on sale ${conversion.external_id} of ${formatAmount(base, conversion.currency)} ${conversion.currency}: ${formatAmount(amount, conversion.currency)} ${conversion.currency}`,
      at: conversion.occurred_at,
      created_at: now,
    };
    await repo.insertFee(tx, row);
    fee = repo.toFee(row);
  }
  const already = -existing.filter((f) => f.kind === 'reversal').reduce((s, f) => s + f.amount, 0);
  const due = feeGivenBack(fee.amount, fee.baseAmount, refunded, already);
  if (due <= 0) return;
  await repo.insertFee(tx, {
    id: newId('networkFee'),
    workspace_id: conversion.workspace_id,
    program_id: conversion.program_id,
    conversion_id: conversionId,
    kind: 'reversal',
    dedupe_key: `reversal:${conversionId}:${refunded}`,
    period: null,
    base_amount: refunded,
    fee_bps: fee.feeBps,
    amount: -due,
    currency: fee.currency,
    explanation: `Network fee on sale ${conversion.external_id} reversed by ${formatAmount(due, fee.currency)} ${fee.currency}: ${formatAmount(refunded, fee.currency)} of ${formatAmount(fee.baseAmount, fee.currency)} ${fee.currency} refunded in all`,
    at: now,
    created_at: now,
  });
}
