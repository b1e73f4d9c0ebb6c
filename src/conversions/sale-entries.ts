/**
 * The ledger entries of an attributed sale: one pending entry per line that earned something,
 * explained in a sentence, held for review when a fraud check holds the sale.
 */

import type { Evidence } from '../attribution/attribute.js';
import { explainSaleLine, money } from '../commissions/explain.js';
import * as ledger from '../commissions/ledger.js';
import type { PricedLine } from '../commissions/rules.js';
import type { DbOrTx } from '../db/database.js';
import type { Hold } from '../fraud/check.js';
import type { Program } from '../programs/schemas.js';
import { newId } from '../shared/ids.js';
import { DAY_MS } from '../shared/time.js';
import type { Candidates } from './candidates.js';
import type { Names } from './context.js';
import type { SaleInput } from './contract.js';
import type { ConversionRow, LineRow } from './repository.js';
import { describeAttribution } from './steps.js';

export interface SaleToEnter {
  program: Program;
  conversion: ConversionRow;
  input: SaleInput;
  /** The lines as converted, with their original amounts, and the rate used. */
  priced: { lines: { original: number }[]; rate: string | null };
  lineRows: LineRow[];
  rates: PricedLine[];
  amounts: number[];
  holds: Hold[];
  found: Candidates;
  evidence: Evidence;
  names: Names;
  now: Date;
  /** Updates of rows other sales share, run by the caller last (see record-sale.ts). */
  late: (() => Promise<void>)[];
}

export async function saleEntries(
  tx: DbOrTx,
  s: SaleToEnter,
): Promise<{ written: ledger.CommissionRow[]; summary: string }> {
  const { program, conversion, input } = s;
  const winner = conversion.creator_id as string;
  const at = new Date(conversion.occurred_at);
  const hold = s.holds[0];
  const creatorName = await s.names.creator(winner);
  const approveAfter = new Date(at.getTime() + program.holdingDays * DAY_MS).toISOString();
  const code = s.found.code && s.evidence.rule === 'code' ? s.found.code : null;
  const entries: ledger.NewEntry[] = [];
  for (const [i, l] of s.lineRows.entries()) {
    const amount = s.amounts[i] ?? 0;
    const p = s.rates[i];
    if (!p || amount === 0) continue;
    const original = s.priced.rate
      ? { amount: s.priced.lines[i]?.original ?? 0, currency: input.currency, rate: s.priced.rate }
      : null;
    entries.push({
      id: newId('commission', at.getTime()),
      workspace_id: conversion.workspace_id,
      program_id: program.id,
      creator_id: winner,
      conversion_id: conversion.id,
      refund_id: null,
      reverses_id: null,
      line_no: l.line_no,
      kind: 'sale',
      amount,
      currency: program.currency,
      status: 'pending',
      base_amount: l.amount,
      rate: JSON.stringify(p.chosen.rate),
      rate_source: p.chosen.source,
      explanation: explainSaleLine({
        commission: amount,
        currency: program.currency,
        base: l.amount,
        quantity: l.quantity,
        lineName: l.name ?? l.external_product_id ?? `line ${l.line_no}`,
        chosen: p.chosen,
        discount:
          l.discount_amount || code
            ? { amount: l.discount_amount, rate: code?.discount ?? null, code: code?.code ?? null }
            : null,
        attribution: s.evidence,
        creatorName,
        linkSlug: s.found.click?.slug ?? null,
        original,
        orderFlat: p.chosen.rate.type === 'flat' && p.chosen.source !== 'product',
      }),
      hold_reason: hold ? hold.reason : null,
      hold_detail: s.holds.length > 0 ? s.holds.map((h) => h.detail).join(' ') : null,
      approve_after: approveAfter,
    });
  }
  const written = await ledger.createEntries(tx, entries, s.now.toISOString(), s.late);
  const earned = s.amounts.reduce((sum, a) => sum + a, 0);
  const summary = `sale ${input.orderId} ${await describeAttribution(s.names, conversion, s.evidence)}: ${money(
    earned,
    program.currency,
  )} pending${hold ? `, held for review (${s.holds.map((h) => h.reason).join(', ')})` : ''}`;
  return { written, summary };
}
