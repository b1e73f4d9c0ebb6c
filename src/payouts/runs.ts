import { reserveEntriesForRun } from '../commissions/ledger.js';
import type { Db, DbOrTx, Dialect } from '../db/database.js';
import { sql } from '../db/kysely.js';
import { type MoneyNotices, noNotices } from '../mail/notices.js';
import { findProgram } from '../programs/repository.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { WorkspaceScope } from '../shared/principal.js';
import { describeDestination } from './destinations.js';
import { planRun } from './plan.js';
import { invoicingComplete } from './profiles.js';
import * as repo from './repository.js';
import type { Payout, PayoutMethodName, RunResult } from './schemas.js';
import { brandParty, issueInvoicesOfRun, payoutVat } from './self-billing.js';
import { allowedMethodsOf, settingsRowOf } from './settings.js';
import { statusMessage } from './status.js';

export interface RunOptions {
  dryRun?: boolean | undefined;
  cutoff?: string | undefined;
  creatorIds?: { include?: string[] | undefined; exclude?: string[] | undefined } | undefined;
  methods?: PayoutMethodName[] | undefined;
  currency?: string | undefined;
}

export interface RunContext {
  trigger: 'api' | 'schedule' | 'cli';
  actor: string;
  /** Whether each payout in the answer lists its entries' ids (the API does; a large batch job may not). */
  withCommissionIds?: boolean;
  /** Called inside the run's transaction once the payouts are written, before the entries are taken (tests). */
  beforeReserve?: (tx: DbOrTx) => Promise<void>;
  /** Called inside the run's transaction once everything is written, before it commits (tests). */
  beforeCommit?: (tx: DbOrTx) => Promise<void>;
  /** Told how many payouts are written so far, of how many (progress bars). */
  onProgress?: (done: number, total: number) => void;
  /** Called once the run holds its program's lock, before it plans (tests). */
  afterLock?: () => Promise<void>;
}

/** A payout row as the API shows it. */
export function toPayout(row: repo.PayoutRow, commissionIds: string[]): Payout & { id: string } {
  return {
    id: row.id,
    runId: row.run_id,
    programId: row.program_id,
    creatorId: row.creator_id,
    amount: row.amount + row.vat_amount,
    commissionAmount: row.amount,
    vatAmount: row.vat_amount,
    currency: row.currency,
    method: row.method,
    status: row.status,
    statusMessage: statusMessage({
      status: row.status,
      amount: row.amount + row.vat_amount,
      currency: row.currency,
      destination: row.destination,
      paidAt: row.paid_at,
      reference: row.reference,
      failureReason: row.failure_reason,
    }),
    destination: row.destination,
    commissionIds,
    entryCount: row.entry_count,
    failure: row.failure_code ? { code: row.failure_code, reason: row.failure_reason ?? '' } : null,
    reference: row.reference,
    transferId: row.transfer_id,
    createdAt: row.created_at,
    paidAt: row.paid_at,
    failedAt: row.failed_at,
  };
}

const inProgress = () =>
  new AppError('PAYOUT_RUN_IN_PROGRESS', 'Another payout run of this program is in progress; try again');

/** The reasons a creator is blocked that the creator can mend by adding details: each is told. */
const detailsReasons = new Set([
  'no_payout_profile',
  'tax_form_missing',
  'invoicing_details_missing',
  'self_billing_consent_missing',
]);

/** The programs whose payout run is under way in this process. */
const runningHere = new Set<string>();

export function payoutRunsService({
  db,
  clock,
  dialect,
  running = runningHere,
  notices = noNotices,
}: {
  db: Db;
  clock: Clock;
  dialect: Dialect;
  /** Tells a creator blocked for missing details what the program needs, in the run's transaction. */
  notices?: MoneyNotices;
  /** Only tests that play several instances give each its own. */
  running?: Set<string>;
}) {
  /**
   * Pays each creator's approved, unpaid entries of the program, netted, once they reach the
   * program's minimum. A dry run answers the same without writing. Two runs of one program at
   * once: the second answers 409; and should one slip past the lock, the ledger takes only
   * entries still free and the run is refused whole (409) if it did not get all it planned.
   */
  async function run(scope: WorkspaceScope, programId: string, options: RunOptions, ctx: RunContext) {
    const found = await findProgram(db, scope, programId);
    if (!found) throw notFound('Program');
    const program = found;
    if (options.currency && options.currency !== program.currency) {
      throw new AppError(
        'CURRENCY_MISMATCH',
        `The program pays in ${program.currency}; a run in ${options.currency} is not possible`,
        [{ path: 'body.currency', message: `must be ${program.currency}` }],
      );
    }
    const now = clock.now();
    const settings = await settingsRowOf(db, programId, now);
    const allowed = allowedMethodsOf(settings);
    const refused = options.methods?.filter((m) => !allowed.includes(m)) ?? [];
    if (refused.length > 0) {
      throw new AppError(
        'PAYOUT_METHOD_NOT_ALLOWED',
        `This program does not pay by ${refused.join(', ')} (it pays by ${allowed.join(', ')})`,
        [{ path: 'body.methods', message: `allowed: ${allowed.join(', ')}` }],
      );
    }
    if (settings.require_self_billing === 1 && !(await brandParty(db, scope.workspaceId)).complete) {
      throw new AppError(
        'BRAND_BILLING_DETAILS_MISSING',
        "This program pays with self-billing invoices: set the brand's legal name and address first (PUT /api/v1/workspace/billing)",
      );
    }
    const cutoff = options.cutoff ? new Date(options.cutoff) : now;
    if (cutoff.getTime() > now.getTime()) {
      throw new AppError('VALIDATION_FAILED', 'The cut-off cannot be in the future', [
        { path: 'body.cutoff', message: 'must not be after now' },
      ]);
    }
    const cutoffText = cutoff.toISOString();
    if (options.dryRun) return planAndPay(db, undefined);
    // One run of a program at a time: a second one answers 409 rather than plan from entries the
    // first is taking. Within this process a set of running programs says so; across instances on
    // PostgreSQL a transaction-scoped advisory lock (released by a crash too); SQLite has one
    // writer, whose transaction another process waits for and then finds the entries taken.
    if (running.has(programId)) throw inProgress();
    running.add(programId);
    try {
      if (ctx.afterLock) await ctx.afterLock();
      const runId = newId('payoutRun');
      const result = await db.transaction().execute(async (tx) => {
        if (dialect === 'postgres') {
          const { rows } = await sql<{
            ok: boolean;
          }>`select pg_try_advisory_xact_lock(hashtextextended(${`payout-run:${programId}`}, 0)) as ok`.execute(tx);
          if (!rows[0]?.ok) throw inProgress();
        }
        return planAndPay(tx, runId);
      });
      notices.kick();
      return result;
    } finally {
      running.delete(programId);
    }

    async function planAndPay(q: DbOrTx, runId: string | undefined): Promise<RunResult> {
      const include = options.creatorIds?.include ? new Set(options.creatorIds.include) : undefined;
      const exclude = new Set(options.creatorIds?.exclude ?? []);
      const balances = (await repo.payableBalances(q, programId, cutoffText)).filter(
        (b) => (!include || include.has(b.creatorId)) && !exclude.has(b.creatorId),
      );
      const { profiles, flagged } = await repo.profilesOfPayable(q, programId);
      const byCreator = new Map(profiles.map((p) => [p.creator_id, p]));
      const plan = planRun(
        {
          currency: program.currency,
          minPayoutAmount: program.minPayoutAmount,
          allowedMethods: allowed,
          requireTaxForm: settings.require_tax_form === 1,
          requireInvoicingDetails: settings.require_invoicing_details === 1,
          requireSelfBilling: settings.require_self_billing === 1,
        },
        balances,
        (creatorId) => {
          const p = byCreator.get(creatorId);
          return p
            ? {
                method: p.method,
                currency: p.currency,
                invoicingComplete: invoicingComplete(p),
                taxFormReceived: Boolean(p.tax_form && p.tax_form_received_at),
                selfBillingConsent: Boolean(p.self_billing_consent_at),
              }
            : undefined;
        },
        (creatorId) => flagged.has(creatorId),
        { methods: options.methods },
      );
      // The VAT each payout's invoice adds on top: every payout has one (its creator agreed).
      const buyer = await brandParty(q, scope.workspaceId);
      const vatOf = new Map(
        plan.payouts.map((p) => {
          const profile = byCreator.get(p.creatorId);
          return [p.creatorId, profile ? payoutVat(p.amount, profile, buyer).vatAmount : 0];
        }),
      );
      const totalAmount = plan.payouts.reduce((s, p) => s + p.amount + (vatOf.get(p.creatorId) ?? 0), 0);
      const withIds = ctx.withCommissionIds ?? true;

      if (!runId) {
        const ids = withIds
          ? await repo.payableEntryIds(
              q,
              programId,
              cutoffText,
              plan.payouts.map((p) => p.creatorId),
            )
          : new Map<string, string[]>();
        const result: RunResult = {
          data: plan.payouts.map((p) => {
            const profile = byCreator.get(p.creatorId);
            const destination = profile ? describeDestination(p.method, JSON.parse(profile.details_masked)) : null;
            const vatAmount = vatOf.get(p.creatorId) ?? 0;
            return {
              id: null,
              runId: null,
              programId,
              creatorId: p.creatorId,
              amount: p.amount + vatAmount,
              commissionAmount: p.amount,
              vatAmount,
              currency: program.currency,
              method: p.method,
              status: 'pending',
              statusMessage: statusMessage({
                status: 'pending',
                amount: p.amount + vatAmount,
                currency: program.currency,
                destination,
                paidAt: null,
                reference: null,
                failureReason: null,
              }),
              destination,
              commissionIds: ids.get(p.creatorId) ?? [],
              entryCount: p.entryCount,
              failure: null,
              reference: null,
              transferId: null,
              createdAt: null,
              paidAt: null,
              failedAt: null,
            };
          }),
          run: {
            id: null,
            programId,
            dryRun: true,
            cutoff: cutoffText,
            currency: program.currency,
            payoutCount: plan.payouts.length,
            totalAmount,
            createdAt: null,
          },
          carriedForward: plan.carriedForward,
          blocked: plan.blocked,
        };
        return result;
      }

      {
        const at = clock.now().toISOString();
        const rows: repo.PayoutRow[] = plan.payouts.map((p) => {
          const profile = byCreator.get(p.creatorId);
          return {
            id: newId('payout'),
            run_id: runId,
            workspace_id: scope.workspaceId,
            program_id: programId,
            creator_id: p.creatorId,
            amount: p.amount,
            vat_amount: vatOf.get(p.creatorId) ?? 0,
            currency: program.currency,
            method: p.method,
            status: 'pending',
            entry_count: p.entryCount,
            destination: profile ? describeDestination(p.method, JSON.parse(profile.details_masked)) : null,
            details_sealed: null,
            failure_code: null,
            failure_reason: null,
            reference: null,
            transfer_id: null,
            created_at: at,
            updated_at: at,
            paid_at: null,
            failed_at: null,
          };
        });
        await (async (tx: DbOrTx) => {
          await repo.insertRun(tx, {
            id: runId,
            workspace_id: scope.workspaceId,
            program_id: programId,
            currency: program.currency,
            cutoff: cutoffText,
            trigger: ctx.trigger,
            actor: ctx.actor,
            payout_count: rows.length,
            total_amount: totalAmount,
            summary: JSON.stringify({ carriedForward: plan.carriedForward, blocked: plan.blocked }),
            created_at: at,
          });
          if (rows.length === 0) return;
          await repo.insertPayouts(tx, rows, ctx.onProgress);
          await repo.copySealedDetails(tx, runId);
          await repo.insertPayoutEvents(
            tx,
            rows.map((r) => ({
              id: newId('payoutEvent'),
              payout_id: r.id,
              from_status: null,
              to_status: 'pending',
              reason: `payout run ${runId}`,
              actor: ctx.actor,
              at,
            })),
          );
          if (ctx.beforeReserve) await ctx.beforeReserve(tx);
          await reserveEntriesForRun(tx, { runId, programId, cutoff: cutoffText });
          await repo.insertItemsOfRun(tx, runId);
          const changed = await repo.mismatchedPayout(tx, runId);
          if (changed) {
            throw new AppError(
              'CONFLICT',
              'Entries changed while the run was made (another run, a refund or a rejection); nothing was paid, run it again',
            );
          }
          // Every payout has its self-billing invoice, or the run is refused whole.
          if ((await issueInvoicesOfRun(tx, runId, scope.workspaceId, at)) !== rows.length) {
            throw new AppError(
              'CONFLICT',
              'A creator’s consent to self-billing changed while the run was made; run it again',
            );
          }
          for (const b of plan.blocked) {
            if (!detailsReasons.has(b.reason)) continue;
            await notices.taxDetailsMissing(tx, { creatorId: b.creatorId, programId, missing: b.message, at });
          }
          if (ctx.beforeCommit) await ctx.beforeCommit(tx);
        })(q);
        const ids = withIds
          ? await repo.commissionIdsOf(
              q,
              rows.map((r) => r.id),
            )
          : new Map<string, string[]>();
        const result: RunResult = {
          data: rows.map((r) => toPayout(r, ids.get(r.id) ?? [])),
          run: {
            id: runId,
            programId,
            dryRun: false,
            cutoff: cutoffText,
            currency: program.currency,
            payoutCount: rows.length,
            totalAmount,
            createdAt: at,
          },
          carriedForward: plan.carriedForward,
          blocked: plan.blocked,
        };
        return result;
      }
    }
  }

  return { run };
}

export type PayoutRunsService = ReturnType<typeof payoutRunsService>;
