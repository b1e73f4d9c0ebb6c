import type { DbOrTx } from '../db/database.js';
import { sql } from '../db/kysely.js';
import { newId } from '../shared/ids.js';

/**
 * The ledger's side of payouts: the only code that moves commissions into a payout, marks them
 * paid, or gives them back. Each function runs inside the caller's transaction.
 *
 * An entry is in a payout while its `payout_id` is set. It stays `approved` while the payout is
 * pending or processing, becomes `paid` when the payout is paid, and is returned to the approved
 * balance (`payout_id` cleared, status `approved`) when the payout fails.
 */

const EVENT_CHUNK = 500;

async function insertEvents(
  tx: DbOrTx,
  ids: string[],
  from: 'approved' | 'paid',
  to: 'approved' | 'paid',
  reason: string,
  actor: string,
  at: string,
): Promise<void> {
  for (let i = 0; i < ids.length; i += EVENT_CHUNK) {
    await tx
      .insertInto('commission_events')
      .values(
        ids.slice(i, i + EVENT_CHUNK).map((commissionId) => ({
          id: newId('commissionEvent'),
          commission_id: commissionId,
          from_status: from,
          to_status: to,
          reason,
          actor,
          at,
        })),
      )
      .execute();
  }
}

/**
 * Puts each creator's payable entries of the program into that creator's payout of the run:
 * approved, in no payout, approved by the cut-off. The payouts rows of the run must exist. Only
 * entries still free are taken, so an entry taken meanwhile by another run is not taken twice;
 * the caller compares what was taken with what it planned. Returns the number of entries taken.
 */
export async function reserveEntriesForRun(
  tx: DbOrTx,
  run: { runId: string; programId: string; cutoff: string },
): Promise<number> {
  const result = await sql`
    update commissions
       set payout_id = (select p.id from payouts p where p.run_id = ${run.runId} and p.creator_id = commissions.creator_id)
     where program_id = ${run.programId}
       and status = 'approved'
       and payout_id is null
       and approve_after <= ${run.cutoff}
       and creator_id in (select p.creator_id from payouts p where p.run_id = ${run.runId})`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}

/** The payout was paid: its entries become `paid`. Returns how many changed. */
export async function markEntriesPaid(
  tx: DbOrTx,
  payoutId: string,
  actor: string,
  at: string,
  reason: string,
): Promise<number> {
  const rows = await tx
    .updateTable('commissions')
    .set({ status: 'paid', updated_at: at })
    .where('payout_id', '=', payoutId)
    .where('status', '=', 'approved')
    .returning('id')
    .execute();
  await insertEvents(
    tx,
    rows.map((r) => r.id),
    'approved',
    'paid',
    reason,
    actor,
    at,
  );
  return rows.length;
}

/**
 * The payout failed: its entries go back to the approved balance, free for the next run, with
 * the reason on each. Entries already marked paid (a bank return after payment) become approved
 * again. Returns how many entries were returned.
 */
export async function returnEntriesToApproved(
  tx: DbOrTx,
  payoutId: string,
  actor: string,
  at: string,
  reason: string,
): Promise<number> {
  // Refunds of these entries that came while they were in the payout were written as negative
  // entries of their own, to be deducted by the next payout. Back in the unpaid balance, each
  // entry nets its refunds again, as a refund of an unpaid entry always does — unless another
  // payout has already taken the negative entry.
  const netted = await tx
    .updateTable('commissions')
    .set({ status: 'reversed', updated_at: at })
    .where('kind', '=', 'reversal')
    .where('status', '=', 'approved')
    .where('payout_id', 'is', null)
    .where('reverses_id', 'in', tx.selectFrom('commissions').select('id').where('payout_id', '=', payoutId))
    .returning('id')
    .execute();
  for (let i = 0; i < netted.length; i += EVENT_CHUNK) {
    await tx
      .insertInto('commission_events')
      .values(
        netted.slice(i, i + EVENT_CHUNK).map((r) => ({
          id: newId('commissionEvent'),
          commission_id: r.id,
          from_status: 'approved' as const,
          to_status: 'reversed' as const,
          reason: `nets its commission again: payout ${payoutId} failed`,
          actor,
          at,
        })),
      )
      .execute();
  }
  const paid = await tx
    .updateTable('commissions')
    .set({ status: 'approved', payout_id: null, status_reason: reason, updated_at: at })
    .where('payout_id', '=', payoutId)
    .where('status', '=', 'paid')
    .returning('id')
    .execute();
  await insertEvents(
    tx,
    paid.map((r) => r.id),
    'paid',
    'approved',
    reason,
    actor,
    at,
  );
  const waiting = await tx
    .updateTable('commissions')
    .set({ payout_id: null, status_reason: reason, updated_at: at })
    .where('payout_id', '=', payoutId)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return paid.length + Number(waiting.numUpdatedRows);
}
