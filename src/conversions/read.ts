import { commissionsOfConversion } from '../commissions/repository.js';
import type { Commission } from '../commissions/schemas.js';
import type { DbOrTx } from '../db/database.js';
import { notFound } from '../shared/errors.js';
import type { WorkspaceScope } from '../shared/principal.js';
import { type ConversionRow, findWorkspaceConversion, type LineRow, linesOf } from './repository.js';
import type { ConversionView } from './schemas.js';

export { conversionVisible } from './repository.js';

/** A conversion as the brand sees it: its lines, how it was attributed and every ledger entry it made. */
export async function readConversion(db: DbOrTx, scope: WorkspaceScope, id: string): Promise<ConversionView> {
  const c = await findWorkspaceConversion(db, scope, id);
  if (!c) throw notFound('Conversion');
  return conversionView(c, await linesOf(db, id), await commissionsOfConversion(db, id));
}

/** The view of a conversion from its rows; `entries` oldest first. */
export function conversionView(c: ConversionRow, lines: LineRow[], entries: Commission[]): ConversionView {
  return {
    id: c.id,
    kind: c.kind,
    programId: c.program_id,
    orderId: c.external_id,
    source: c.source,
    amount: c.amount,
    currency: c.currency,
    originalAmount: c.original_amount,
    originalCurrency: c.original_currency,
    exchangeRate: c.exchange_rate,
    attribution: c.attribution,
    creatorId: c.creator_id,
    evidence: JSON.parse(c.evidence) as Record<string, unknown>,
    clickId: c.click_id,
    code: c.code,
    customerId: c.customer_id,
    subscriptionId: c.subscription_id,
    occurredAt: c.occurred_at,
    createdAt: c.created_at,
    lines: lines.map((l) => ({
      lineNo: l.line_no,
      lineId: l.line_id,
      productId: l.product_id,
      externalProductId: l.external_product_id,
      name: l.name,
      quantity: l.quantity,
      amount: l.amount,
      refundedAmount: l.refunded_amount,
    })),
    commissions: entries,
  };
}
