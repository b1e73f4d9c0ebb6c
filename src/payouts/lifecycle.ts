import { markEntriesPaid, returnEntriesToApproved } from '../commissions/ledger.js';
import type { Db, DbOrTx } from '../db/database.js';
import type { PayoutStatus } from '../db/schema.js';
import { type MoneyNotices, noNotices } from '../mail/notices.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { WorkspaceScope } from '../shared/principal.js';
import { openSecret } from '../shared/secrets.js';
import { issueCreditNote } from './credit-notes.js';
import { profileContext } from './profiles.js';
import * as repo from './repository.js';
import { toPayout } from './runs.js';
import type { Payout } from './schemas.js';
import { settingsRowOf, stripeKeyContext } from './settings.js';
import type { StripeTransfers } from './stripe-transfers.js';

export type FailureCode =
  | 'bank_return'
  | 'paypal_denied'
  | 'paypal_unclaimed'
  | 'stripe_error'
  | 'wise_failed'
  | 'other';

/** Failures that can come after a payout was marked paid: the money came back later. */
const lateFailures = new Set<FailureCode>(['bank_return', 'paypal_unclaimed', 'wise_failed']);

const failureLabels: Record<FailureCode, string> = {
  bank_return: 'the bank returned the transfer',
  paypal_denied: 'PayPal denied the payment',
  paypal_unclaimed: 'the PayPal payment was not claimed in time',
  stripe_error: 'Stripe refused the transfer',
  wise_failed: 'Wise could not complete the transfer',
  other: 'the payment failed',
};

async function changeStatus(
  tx: DbOrTx,
  payout: repo.PayoutRow,
  from: PayoutStatus[],
  to: PayoutStatus,
  set: Partial<repo.PayoutRow>,
  reason: string,
  actor: string,
  at: string,
): Promise<repo.PayoutRow> {
  const changed = await tx
    .updateTable('payouts')
    .set({ ...set, status: to, updated_at: at })
    .where('id', '=', payout.id)
    .where('status', 'in', from)
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) !== 1) {
    throw new AppError('CONFLICT', `Payout ${payout.id} changed meanwhile; read it again`);
  }
  await repo.insertPayoutEvents(tx, [
    { id: newId('payoutEvent'), payout_id: payout.id, from_status: payout.status, to_status: to, reason, actor, at },
  ]);
  return { ...payout, ...set, status: to, updated_at: at };
}

export function payoutLifecycleService({
  db,
  clock,
  secret,
  stripe,
  notices = noNotices,
}: {
  db: Db;
  clock: Clock;
  secret: string;
  stripe: StripeTransfers;
  /** Tells the creator of a payout paid or failed, in the same transaction. */
  notices?: MoneyNotices;
}) {
  async function ownPayout(tx: DbOrTx, scope: WorkspaceScope, id: string): Promise<repo.PayoutRow> {
    const row = await repo.findPayout(tx, id);
    if (!row || row.workspace_id !== scope.workspaceId) throw notFound('Payout');
    return row;
  }

  const present = async (row: repo.PayoutRow): Promise<Payout> =>
    toPayout(row, (await repo.commissionIdsOf(db, [row.id])).get(row.id) ?? []);

  function invalid(row: repo.PayoutRow, what: string): AppError {
    return new AppError('INVALID_TRANSITION', `A ${row.status} payout cannot be ${what}`);
  }

  /** Paid: by hand with a reference, or after the bank, PayPal or Wise confirmed it. Its entries become paid. */
  async function markPaidIn(
    tx: DbOrTx,
    row: repo.PayoutRow,
    actor: string,
    fields: { reference?: string | undefined; transferId?: string | undefined },
  ): Promise<repo.PayoutRow> {
    if (row.status !== 'pending' && row.status !== 'processing') throw invalid(row, 'marked paid');
    const at = clock.now().toISOString();
    const next = await changeStatus(
      tx,
      row,
      ['pending', 'processing'],
      'paid',
      {
        paid_at: at,
        reference: fields.reference ?? row.reference,
        transfer_id: fields.transferId ?? row.transfer_id,
      },
      fields.reference ? `paid, reference ${fields.reference}` : 'paid',
      actor,
      at,
    );
    await markEntriesPaid(tx, row.id, actor, at, `paid in payout ${row.id}`);
    await notices.payoutSent(tx, {
      creatorId: row.creator_id,
      programId: row.program_id,
      amount: row.amount + row.vat_amount,
      currency: row.currency,
      method: row.method,
      reference: next.reference,
      paidAt: at,
    });
    return next;
  }

  async function markPaid(scope: WorkspaceScope, id: string, actor: string, reference?: string): Promise<Payout> {
    const row = await db.transaction().execute(async (tx) => {
      const own = await ownPayout(tx, scope, id);
      return markPaidIn(tx, own, actor, { reference });
    });
    notices.kick();
    return present(row);
  }

  /** Failed: the entries go back to the creator's approved balance, with the reason the creator sees. */
  async function failIn(
    tx: DbOrTx,
    row: repo.PayoutRow,
    actor: string,
    code: FailureCode,
    reason: string,
  ): Promise<repo.PayoutRow> {
    const from: PayoutStatus[] = lateFailures.has(code) ? ['pending', 'processing', 'paid'] : ['pending', 'processing'];
    if (!from.includes(row.status)) throw invalid(row, `failed with ${code}`);
    const at = clock.now().toISOString();
    const sentence = `${failureLabels[code]}: ${reason}`;
    const next = await changeStatus(
      tx,
      row,
      from,
      'failed',
      { failed_at: at, failure_code: code, failure_reason: sentence },
      sentence,
      actor,
      at,
    );
    await returnEntriesToApproved(tx, row.id, actor, at, `payout ${row.id} failed (${sentence}); back in the balance`);
    await issueCreditNote(tx, row.id, sentence, at);
    await notices.payoutFailed(tx, {
      creatorId: row.creator_id,
      programId: row.program_id,
      amount: row.amount + row.vat_amount,
      currency: row.currency,
      reason: sentence,
    });
    return next;
  }

  async function fail(
    scope: WorkspaceScope,
    id: string,
    actor: string,
    code: FailureCode,
    reason: string,
  ): Promise<Payout> {
    const row = await db
      .transaction()
      .execute(async (tx) => failIn(tx, await ownPayout(tx, scope, id), actor, code, reason));
    notices.kick();
    return present(row);
  }

  /**
   * Sends one payout: a Stripe Connect transfer (paid, or failed with Stripe's reason; a
   * connection problem leaves it processing, to send again with the same idempotency key), or
   * for a file method marks it processing: the file is at the bank, PayPal or Wise.
   */
  async function sendRow(row: repo.PayoutRow, actor: string): Promise<repo.PayoutRow> {
    if (row.status !== 'pending' && row.status !== 'processing') throw invalid(row, 'sent');
    if (row.method !== 'stripe') {
      if (row.status === 'processing') return row;
      const at = clock.now().toISOString();
      return db
        .transaction()
        .execute((tx) => changeStatus(tx, row, ['pending'], 'processing', {}, `sent by ${row.method}`, actor, at));
    }
    const settings = await settingsRowOf(db, row.program_id, clock.now());
    if (!settings.stripe_key_sealed) {
      throw new AppError(
        'PAYOUT_PROVIDER_NOT_CONFIGURED',
        "Set the program's Stripe secret key (PUT /api/v1/programs/{id}/payout-settings) to send Stripe transfers",
      );
    }
    if (!row.details_sealed) throw new AppError('CONFLICT', `Payout ${row.id} has no payout details`);
    const details = JSON.parse(openSecret(row.details_sealed, secret, profileContext(row.creator_id))) as {
      stripeAccountId?: string;
    };
    let current = row;
    if (row.status === 'pending') {
      const at = clock.now().toISOString();
      current = await db
        .transaction()
        .execute((tx) => changeStatus(tx, row, ['pending'], 'processing', {}, 'Stripe transfer requested', actor, at));
    }
    const outcome = await stripe.create({
      secretKey: openSecret(settings.stripe_key_sealed, secret, stripeKeyContext(row.program_id)),
      amount: row.amount + row.vat_amount,
      currency: row.currency,
      destination: details.stripeAccountId ?? '',
      idempotencyKey: `kumppani-payout-${row.id}`,
      description: `Commissions, payout ${row.id}`,
      transferGroup: row.run_id,
      metadata: { payoutId: row.id, runId: row.run_id, creatorId: row.creator_id },
    });
    if (outcome.ok) {
      const paid = await db
        .transaction()
        .execute((tx) => markPaidIn(tx, current, actor, { transferId: outcome.transferId }));
      notices.kick();
      return paid;
    }
    if (outcome.retryable) {
      throw new AppError('SERVICE_UNAVAILABLE', `Stripe could not be reached (${outcome.message}); send again later`);
    }
    const failed = await db
      .transaction()
      .execute((tx) => failIn(tx, current, actor, 'stripe_error', `${outcome.message} (${outcome.code})`));
    notices.kick();
    return failed;
  }

  async function send(scope: WorkspaceScope, id: string, actor: string): Promise<Payout> {
    return present(await sendRow(await ownPayout(db, scope, id), actor));
  }

  async function runPayouts(scope: WorkspaceScope, runId: string, method?: string): Promise<repo.PayoutRow[]> {
    const run = await repo.findRun(db, runId);
    if (!run || run.workspace_id !== scope.workspaceId) throw notFound('Payout run');
    let q = db
      .selectFrom('payouts')
      .selectAll()
      .where('run_id', '=', runId)
      .where('status', 'in', ['pending', 'processing'])
      .orderBy('id');
    if (method) q = q.where('method', '=', method as repo.PayoutRow['method']);
    return q.execute();
  }

  /** Sends every payout of a run still to be sent; answers what became of each. */
  async function sendRun(scope: WorkspaceScope, runId: string, actor: string, method?: string) {
    const counts = { processing: 0, paid: 0, failed: 0, notSent: 0 };
    for (const row of await runPayouts(scope, runId, method)) {
      try {
        const next = await sendRow(row, actor);
        if (next.status === 'paid' || next.status === 'failed' || next.status === 'processing') counts[next.status]++;
      } catch (err) {
        if (err instanceof AppError && (err.code === 'SERVICE_UNAVAILABLE' || err.code === 'CONFLICT')) {
          counts.notSent++;
          continue;
        }
        throw err;
      }
    }
    return counts;
  }

  /** Marks every pending or processing payout of a run (of one method) paid, in one transaction. */
  async function markRunPaid(scope: WorkspaceScope, runId: string, actor: string, method?: string, reference?: string) {
    const rows = await runPayouts(scope, runId, method);
    await db.transaction().execute(async (tx) => {
      for (const row of rows) await markPaidIn(tx, row, actor, { reference });
    });
    notices.kick();
    return { paid: rows.length };
  }

  return { markPaid, fail, send, sendRun, markRunPaid };
}

export type PayoutLifecycleService = ReturnType<typeof payoutLifecycleService>;
