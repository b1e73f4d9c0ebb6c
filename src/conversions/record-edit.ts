/**
 * An order the platform edited after it was paid (WooCommerce and Shopify let a shop change a
 * paid order's lines): read again and set against what was recorded, never refused. A line that
 * went down is reversed in proportion through the ledger, as a refund named `edit:<order>:<n>`
 * would be; a line that went up, or a new line, earns on what it added, at the rate the line
 * earned before (a new line at the program's rate). Each entry says the order was edited.
 */
import { rollingUp } from '../analytics/rollups.js';
import { explainEdit, money } from '../commissions/explain.js';
import * as ledger from '../commissions/ledger.js';
import { entriesOf, sumOf } from '../commissions/repository.js';
import type { DbOrTx } from '../db/database.js';
import { settleNetworkFees } from '../network-fees/settle.js';
import type { Program, Rate } from '../programs/schemas.js';
import { newId } from '../shared/ids.js';
import { DAY_MS } from '../shared/time.js';
import type { ConversionsContext } from './context.js';
import type { ConversionOutcome, SaleInput } from './contract.js';
import { applyRefund } from './record-refund.js';
import {
  type ConversionRow,
  editsOf,
  insertLines,
  insertRefund,
  type LineRow,
  linesOf,
  setConversionEdited,
} from './repository.js';

export interface EditedLine {
  lineId?: string | null | undefined;
  name?: string | null | undefined;
  quantity: number;
  /** In the program's currency. */
  amount: number;
}

const ADDED = '@edit';

function commissionOf(rate: Rate, amount: number, _quantity: number): number {
  if (rate.type === 'percent') return Number((BigInt(amount) * BigInt(rate.bps)) / 10_000n);
  return 0;
}

/** Applies an edit, and brings analytics' rollups to the order as it now stands, in the same transaction. */
export async function applyEdit(
  ctx: ConversionsContext,
  tx: DbOrTx,
  program: Program,
  sale: ConversionRow,
  input: SaleInput,
  print: string,
  newLines: EditedLine[],
): Promise<ConversionOutcome> {
  return rollingUp(tx, [sale.id], () => editLines(ctx, tx, program, sale, input, print, newLines));
}

async function editLines(
  ctx: ConversionsContext,
  tx: DbOrTx,
  program: Program,
  sale: ConversionRow,
  input: SaleInput,
  print: string,
  newLines: EditedLine[],
): Promise<ConversionOutcome> {
  const lines = await linesOf(tx, sale.id);
  const edits = await editsOf(tx, sale.id);
  const n = edits.length + 1;
  const editId = `edit:${input.orderId}:${n}`;
  const now = ctx.clock.now();
  const at = now.toISOString();
  // What the platform said each recorded line was worth before this edit.
  const reduced = new Map<string, number>();
  for (const e of edits) for (const l of e.lines) reduced.set(l.lineId, (reduced.get(l.lineId) ?? 0) + l.amount);
  const original = lines.filter((l) => !l.line_id?.includes(ADDED));
  const before = (l: LineRow) => {
    const added = lines
      .filter((a) => a.line_id?.startsWith(`${l.line_id}${ADDED}`))
      .reduce((s, a) => s + a.amount - a.refunded_amount, 0);
    return l.amount - (reduced.get(l.line_id ?? '') ?? 0) + added;
  };
  const decreases: { lineId: string; amount: number }[] = [];
  const increases: { line: LineRow | null; edited: EditedLine; amount: number }[] = [];
  original.forEach((l, i) => {
    const edited = l.line_id ? newLines.find((x) => x.lineId === l.line_id) : newLines[i];
    const was = before(l);
    const now = edited?.amount ?? 0;
    if (now < was && l.line_id) decreases.push({ lineId: l.line_id, amount: was - now });
    if (now > was && edited) increases.push({ line: l, edited, amount: now - was });
  });
  for (const x of newLines) {
    if (x.lineId && !original.some((l) => l.line_id === x.lineId))
      increases.push({ line: null, edited: x, amount: x.amount });
  }

  const ids: string[] = [];
  if (decreases.length > 0) {
    const refund = {
      programId: program.id,
      orderId: input.orderId,
      refundId: editId,
      source: input.source,
      currency: sale.currency,
      lines: decreases,
      reason: 'order edited',
    };
    await insertRefund(tx, {
      id: newId('refund', now.getTime()),
      workspace_id: sale.workspace_id,
      program_id: program.id,
      external_id: editId,
      order_id: input.orderId,
      conversion_id: sale.id,
      fingerprint: print,
      source: input.source,
      request: JSON.stringify(refund),
      amount: decreases.reduce((s, d) => s + d.amount, 0),
      status: 'applied',
      occurred_at: at,
      created_at: at,
    });
    ids.push(...(await applyRefund(ctx, tx, sale, editId, refund)));
  }
  if (increases.length > 0) {
    const entries = await entriesOf(tx, sale.id);
    let lineNo = Math.max(0, ...lines.map((l) => l.line_no));
    const rows: LineRow[] = [];
    const made: ledger.NewEntry[] = [];
    for (const inc of increases) {
      lineNo += 1;
      const name = inc.edited.name ?? inc.line?.name ?? inc.line?.external_product_id ?? `line ${lineNo}`;
      rows.push({
        conversion_id: sale.id,
        line_no: lineNo,
        line_id: inc.line ? `${inc.line.line_id ?? inc.line.line_no}${ADDED}${n}` : (inc.edited.lineId ?? null),
        product_id: inc.line?.product_id ?? null,
        external_product_id: inc.line?.external_product_id ?? null,
        name,
        quantity: inc.edited.quantity,
        amount: inc.amount,
        discount_amount: null,
        refunded_amount: 0,
      });
      const earlier = inc.line ? entries.find((e) => e.kind === 'sale' && e.line_no === inc.line?.line_no) : undefined;
      const rate: Rate = earlier?.rate ? (JSON.parse(earlier.rate) as Rate) : program.defaultRate;
      const amount = sale.creator_id ? commissionOf(rate, inc.amount, inc.edited.quantity) : 0;
      if (!sale.creator_id || amount <= 0) continue;
      made.push({
        id: newId('commission', now.getTime()),
        workspace_id: sale.workspace_id,
        program_id: program.id,
        creator_id: sale.creator_id,
        conversion_id: sale.id,
        refund_id: null,
        reverses_id: null,
        line_no: lineNo,
        kind: 'sale',
        amount,
        currency: program.currency,
        status: 'pending',
        base_amount: inc.amount,
        rate: JSON.stringify(rate),
        rate_source: earlier?.rate_source ?? 'program',
        explanation: explainEdit({
          amount,
          currency: program.currency,
          added: inc.amount,
          lineName: name,
          rate,
          orderId: input.orderId,
          newLine: inc.line === null,
        }),
        hold_reason: null,
        hold_detail: null,
        approve_after: new Date(now.getTime() + program.holdingDays * DAY_MS).toISOString(),
      });
    }
    await insertLines(tx, rows);
    ids.push(...(await ledger.createEntries(tx, made, at)).map((r) => r.id));
  }
  const total = newLines.reduce((s, l) => s + l.amount, 0);
  await setConversionEdited(tx, sale.id, print, total);
  await settleNetworkFees(tx, sale.id, at);
  const change = await sumOf(tx, ids);
  return {
    conversionId: sale.id,
    duplicate: false,
    status: 'recorded',
    attribution: sale.attribution,
    creatorId: sale.creator_id,
    commissionIds: ids,
    summary: `order ${input.orderId} edited: now ${money(total, sale.currency)}; commission ${
      change === 0 ? 'unchanged' : `${change > 0 ? '+' : ''}${money(change, sale.currency)}`
    }`,
  };
}
