/**
 * The commission ledger: the one module that writes `commissions` and `commission_events`.
 * Conversions create entries and reverse lines through it, fraud review releases holds, the
 * approval job approves, managers reject, payouts mark entries paid or return them. Every change
 * of an entry's status or hold writes its event in the same transaction, so an entry's history
 * is always whole. Each function takes the caller's transaction; only services open them.
 */
import type { DbOrTx } from '../db/database.js';
import { sql } from '../db/kysely.js';
import type { CommissionStatus } from '../db/schema.js';
import { newId } from '../shared/ids.js';
import { reversalFor } from './arithmetic.js';
import { addToEarnings } from './earnings.js';
import { explainReversal } from './explain.js';
import { type CommissionRow, writeChange, writeEntries, writeEvents } from './repository.js';

export { type CommissionRow, toCommission } from './repository.js';

/** An entry as its writer makes it; the ledger stamps the rest. */
export type NewEntry = Omit<CommissionRow, 'created_at' | 'updated_at' | 'payout_id' | 'status_reason'>;

/** Who changed an entry and why, and when: the event's fields. */
export interface Because {
  reason: string;
  /** A user or key id, `scheduler`, `refund:<source>`… */
  actor: string;
  at: string;
}

/**
 * Writes new entries in one statement. An entry's row is the record of its own creation: when
 * (`created_at`), in which status, why it is held, and for which conversion. Events record only
 * the changes of status that follow, so a sale writes no event rows at all.
 */
export async function createEntries(
  tx: DbOrTx,
  entries: NewEntry[],
  at: string,
  /**
   * Where a caller that keeps rows other sales share for last (a sale's late writes) takes the
   * update of the creator's running earnings, so that its row stays locked for least time on
   * PostgreSQL. The caller runs it before its transaction ends.
   */
  late?: (() => Promise<void>)[],
): Promise<CommissionRow[]> {
  if (entries.length === 0) return [];
  const rows: CommissionRow[] = entries.map((e) => ({
    ...e,
    payout_id: null,
    status_reason: null,
    created_at: at,
    updated_at: at,
  }));
  await writeEntries(tx, rows);
  if (late) late.push(() => addToEarnings(tx, rows));
  else await addToEarnings(tx, rows);
  return rows;
}

async function changed(
  tx: DbOrTx,
  ids: string[],
  from: CommissionStatus,
  to: CommissionStatus,
  because: Because,
): Promise<string[]> {
  await writeEvents(
    tx,
    ids.map((id) => ({
      id: newId('commissionEvent'),
      commission_id: id,
      from_status: from,
      to_status: to,
      reason: because.reason,
      actor: because.actor,
      at: because.at,
    })),
  );
  return ids;
}

/**
 * Moves one entry from `from` to `to`, with its event; false when it no longer stands in `from`
 * (changed meanwhile). `statusReason` is shown with the entry (a rejection's reason, say).
 */
export async function changeStatus(
  tx: DbOrTx,
  id: string,
  from: CommissionStatus,
  to: CommissionStatus,
  because: Because & { statusReason?: string | null },
): Promise<boolean> {
  const done = await writeChange(
    tx,
    [id],
    { status: from },
    {
      status: to,
      updated_at: because.at,
      ...(because.statusReason !== undefined ? { status_reason: because.statusReason } : {}),
    },
  );
  await changed(tx, done, from, to, because);
  return done.length === 1;
}

/** Approves pending entries that no flag holds (the holding period ended); answers those approved. */
export async function approve(tx: DbOrTx, ids: string[], because: Because): Promise<string[]> {
  const done = await writeChange(
    tx,
    ids,
    { status: 'pending', held: false },
    { status: 'approved', updated_at: because.at },
  );
  return changed(tx, done, 'pending', 'approved', because);
}

/** A held pending entry reviewed and released: it follows its holding period again. */
export async function releaseHold(tx: DbOrTx, ids: string[], because: Because): Promise<string[]> {
  const done = await writeChange(
    tx,
    ids,
    { status: 'pending', held: true },
    { hold_reason: null, status_reason: because.reason, updated_at: because.at },
  );
  return changed(tx, done, 'pending', 'pending', because);
}

/** A manager's rejection of a pending or approved entry; false when it changed meanwhile. */
export function reject(tx: DbOrTx, id: string, from: 'pending' | 'approved', because: Because): Promise<boolean> {
  return changeStatus(tx, id, from, 'rejected', { ...because, statusReason: because.reason });
}

/** One line of a sale as a refund leaves it. */
export interface RefundedLine {
  conversionId: string;
  lineNo: number;
  /** The line's net amount, and its name for the explanation. */
  amount: number;
  name: string;
  /** Refunded before this refund, and in all with it (at most `amount`). */
  refundedBefore: number;
  refundedTotal: number;
}

/**
 * Reverses what a refund takes back of one line's commissions, in proportion to the line's
 * refunded total (a line of no amount is reversed whole). A reversal of an unpaid entry nets it
 * (status `reversed`, and the entry becomes `reversed` once wholly reversed); a reversal of a
 * paid entry is payable itself (`approved`, negative), so the next payout deducts it.
 * `entries` are the conversion's entries, oldest first; the reversals written are added to it.
 */
export async function reverseLine(
  tx: DbOrTx,
  entries: CommissionRow[],
  line: RefundedLine,
  refund: { refundId: string; source: string; at: Date },
): Promise<string[]> {
  const written: string[] = [];
  const at = refund.at.toISOString();
  const originals = entries.filter((e) => e.kind === 'sale' && e.line_no === line.lineNo && e.status !== 'rejected');
  for (const original of originals) {
    const already = -entries.filter((e) => e.reverses_id === original.id).reduce((s, e) => s + e.amount, 0);
    const due = reversalFor(original.amount, line.amount, line.refundedTotal, already);
    if (due === 0) continue;
    // An entry in a payout not yet paid counts as paid: the payout pays its whole amount, so the
    // refund becomes a negative entry that the next payout deducts.
    const wasPaid = original.status === 'paid' || original.payout_id !== null;
    const status: CommissionStatus = wasPaid ? 'approved' : 'reversed';
    const [row] = await createEntries(
      tx,
      [
        {
          id: newId('commission', refund.at.getTime()),
          workspace_id: original.workspace_id,
          program_id: original.program_id,
          creator_id: original.creator_id,
          conversion_id: line.conversionId,
          refund_id: refund.refundId,
          reverses_id: original.id,
          line_no: line.lineNo,
          kind: 'reversal',
          amount: -due,
          currency: original.currency,
          status,
          base_amount: line.refundedTotal - line.refundedBefore,
          rate: null,
          rate_source: null,
          explanation: explainReversal({
            amount: -due,
            currency: original.currency,
            refunded: line.refundedTotal - line.refundedBefore,
            lineAmount: line.amount,
            lineName: line.name,
            refundId: refund.refundId,
            wasPaid,
          }),
          hold_reason: null,
          hold_detail: null,
          approve_after: at,
        },
      ],
      at,
    );
    if (!row) continue;
    entries.push(row);
    written.push(row.id);
    if (!wasPaid && already + due === original.amount && original.status !== 'reversed') {
      await changeStatus(tx, original.id, original.status, 'reversed', {
        reason: `fully refunded (refund ${refund.refundId})`,
        actor: `refund:${refund.source}`,
        at,
      });
    }
  }
  return written;
}

// ---------------------------------------------------------------------------------------------
// Payouts. An entry is in a payout while its payout_id is set: it stays approved while the
// payout is pending or processing, becomes paid when the payout is paid, and returns to the
// approved balance when the payout fails (docs/decisions/0007-payouts-and-the-ledger.md).
// ---------------------------------------------------------------------------------------------

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
  await changed(
    tx,
    rows.map((r) => r.id),
    'approved',
    'paid',
    { reason, actor, at },
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
  await changed(
    tx,
    netted.map((r) => r.id),
    'approved',
    'reversed',
    { reason: `nets its commission again: payout ${payoutId} failed`, actor, at },
  );
  const paid = await tx
    .updateTable('commissions')
    .set({ status: 'approved', payout_id: null, status_reason: reason, updated_at: at })
    .where('payout_id', '=', payoutId)
    .where('status', '=', 'paid')
    .returning('id')
    .execute();
  await changed(
    tx,
    paid.map((r) => r.id),
    'paid',
    'approved',
    { reason, actor, at },
  );
  const waiting = await tx
    .updateTable('commissions')
    .set({ payout_id: null, status_reason: reason, updated_at: at })
    .where('payout_id', '=', payoutId)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return paid.length + Number(waiting.numUpdatedRows);
}
