/**
 * How much of each line of a sale a refund takes back. Pure: the refund names lines (by the
 * platform's line id, else by product), or gives one amount, which is spread over what is left
 * to refund of each line in proportion, exactly (`spread`), never beyond a line's amount. A named
 * line that the sale does not have is spread the same way.
 */
import { spread } from '../commissions/arithmetic.js';

export interface RefundableLine {
  line_no: number;
  line_id: string | null;
  product_id: string | null;
  external_product_id: string | null;
  amount: number;
  refunded_amount: number;
}

export interface RefundAsked {
  lines?: { lineId?: string | null | undefined; productId?: string | null | undefined; amount: number }[] | undefined;
  amount?: number | undefined;
}

/** By line number, what the refund adds to each line's refunded amount (before capping at the line's amount). */
export function refundShares(
  lines: readonly RefundableLine[],
  refund: RefundAsked,
  inProgramCurrency: (amount: number) => number,
): Map<number, number> {
  const refundOf = new Map<number, number>();
  const add = (lineNo: number, amount: number) => refundOf.set(lineNo, (refundOf.get(lineNo) ?? 0) + amount);
  const remaining = (l: RefundableLine) => l.amount - l.refunded_amount - (refundOf.get(l.line_no) ?? 0);
  const spreadOver = (amount: number) => {
    const parts = spread(
      amount,
      lines.map((l) => Math.max(remaining(l), 0)),
    );
    lines.forEach((l, i) => {
      const part = parts[i] ?? 0;
      if (part > 0) add(l.line_no, part);
    });
  };
  if (refund.lines && refund.lines.length > 0) {
    for (const r of refund.lines) {
      const amount = inProgramCurrency(r.amount);
      const line =
        (r.lineId ? lines.find((l) => l.line_id === r.lineId) : undefined) ??
        (r.productId
          ? lines.find(
              (l) => (l.product_id === r.productId || l.external_product_id === r.productId) && remaining(l) > 0,
            )
          : undefined);
      if (line) add(line.line_no, amount);
      else spreadOver(amount);
    }
  } else if (refund.amount !== undefined) {
    spreadOver(inProgramCurrency(refund.amount));
  }
  return refundOf;
}
