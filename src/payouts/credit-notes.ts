/**
 * Credit notes, issued as a payout fails: the payout's self-billing invoice is cancelled by a
 * credit note of its own for the invoice's amounts negated, referring to the invoice. Its number is
 * the next of the same unbroken series per creator and brand that the invoices take theirs from,
 * taken in the failure's transaction (the series' row stays locked until it commits, and a failure
 * that rolls back gives the number back). The entries go back to the balance, and the payout that
 * pays them later comes with a new invoice.
 */
import type { DbOrTx } from '../db/database.js';
import { sql } from '../db/kysely.js';
import { newId } from '../shared/ids.js';

/** Cancels the invoice of a failed payout, if it has one not yet cancelled; answers the note's number. */
export async function issueCreditNote(
  tx: DbOrTx,
  payoutId: string,
  reason: string,
  at: string,
): Promise<number | null> {
  const invoice = await tx
    .selectFrom('invoices as i')
    .leftJoin('credit_notes as n', 'n.invoice_id', 'i.id')
    .select(['i.id', 'i.workspace_id', 'i.creator_id', 'i.net_amount', 'i.vat_amount', 'i.currency', 'n.id as note_id'])
    .where('i.payout_id', '=', payoutId)
    .executeTakeFirst();
  if (!invoice || invoice.note_id) return null;
  const next = await tx
    .updateTable('invoice_sequences')
    .set({ last_number: sql`last_number + 1` })
    .where('workspace_id', '=', invoice.workspace_id)
    .where('creator_id', '=', invoice.creator_id)
    .returning('last_number')
    .executeTakeFirstOrThrow();
  const number = Number(next.last_number);
  await tx
    .insertInto('credit_notes')
    .values({
      id: newId('creditNote'),
      invoice_id: invoice.id,
      payout_id: payoutId,
      workspace_id: invoice.workspace_id,
      creator_id: invoice.creator_id,
      number,
      reason,
      net_amount: -Number(invoice.net_amount),
      vat_amount: -Number(invoice.vat_amount),
      currency: invoice.currency,
      issued_at: at,
    })
    .execute();
  return number;
}
