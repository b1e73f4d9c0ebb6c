import type { Db, DbOrTx } from '../db/database.js';
import { sql } from '../db/kysely.js';
import type { PayoutStatus } from '../db/schema.js';
import { programExists } from '../programs/repository.js';
import type { Clock } from '../shared/clock.js';
import { AppError, forbidden, notFound } from '../shared/errors.js';
import type { Principal, WorkspaceScope } from '../shared/principal.js';
import { type FlagRow, flagsOfWorkspace } from './profile-repository.js';
import * as repo from './repository.js';
import { toPayout } from './runs.js';
import type { HeldCreator, Payout } from './schemas.js';

/** Who may see payouts: a brand its workspace's, a creator its own. */
export type PayoutViewer = { workspaceId: string } | { creatorId: string };

export function payoutViewerOf(principal: Principal): PayoutViewer {
  if (principal.workspace) return { workspaceId: principal.workspace.id };
  if (principal.creatorId) return { creatorId: principal.creatorId };
  throw forbidden('Payouts belong to a brand workspace or a creator account');
}

export async function payoutVisible(db: DbOrTx, viewer: PayoutViewer, id: string): Promise<boolean> {
  const q = db.selectFrom('payouts').select('id').where('id', '=', id);
  const row = await ('workspaceId' in viewer
    ? q.where('workspace_id', '=', viewer.workspaceId)
    : q.where('creator_id', '=', viewer.creatorId)
  ).executeTakeFirst();
  return row !== undefined;
}

export async function runVisible(db: DbOrTx, scope: WorkspaceScope, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('payout_runs')
    .select('id')
    .where('id', '=', id)
    .where('workspace_id', '=', scope.workspaceId)
    .executeTakeFirst();
  return row !== undefined;
}

/** A payout or a run of the workspace: the export path takes either. */
export async function payoutOrRunVisible(db: DbOrTx, scope: WorkspaceScope, id: string): Promise<boolean> {
  return id.startsWith('prun_') ? runVisible(db, scope, id) : payoutVisible(db, { workspaceId: scope.workspaceId }, id);
}

export async function flagVisible(db: DbOrTx, scope: WorkspaceScope, id: string): Promise<boolean> {
  const row = await flagsOfWorkspace(db, scope.workspaceId).where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

export function payoutReadsService({ db, clock }: { db: Db; clock: Clock }) {
  async function get(viewer: PayoutViewer, id: string) {
    if (!(await payoutVisible(db, viewer, id))) throw notFound('Payout');
    const row = (await repo.findPayout(db, id)) as repo.PayoutRow;
    const ids = (await repo.commissionIdsOf(db, [id])).get(id) ?? [];
    const history = await db
      .selectFrom('payout_events')
      .select(['from_status', 'to_status', 'reason', 'at'])
      .where('payout_id', '=', id)
      .orderBy('id')
      .execute();
    return {
      ...toPayout(row, ids),
      history: history.map((h) => ({ from: h.from_status, to: h.to_status, reason: h.reason, at: h.at })),
    };
  }

  async function list(
    viewer: PayoutViewer,
    opts: {
      limit: number;
      before?: string | undefined;
      status?: PayoutStatus | undefined;
      programId?: string | undefined;
      runId?: string | undefined;
    },
  ): Promise<(Payout & { id: string })[]> {
    let q = db.selectFrom('payouts').selectAll().orderBy('id', 'desc').limit(opts.limit);
    q =
      'workspaceId' in viewer
        ? q.where('workspace_id', '=', viewer.workspaceId)
        : q.where('creator_id', '=', viewer.creatorId);
    if (opts.before) q = q.where('id', '<', opts.before);
    if (opts.status) q = q.where('status', '=', opts.status);
    if (opts.programId) q = q.where('program_id', '=', opts.programId);
    if (opts.runId) q = q.where('run_id', '=', opts.runId);
    const rows = await q.execute();
    const ids = await repo.commissionIdsOf(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toPayout(r, ids.get(r.id) ?? []));
  }

  async function run(scope: WorkspaceScope, id: string) {
    const row = await repo.findRun(db, id);
    if (!row || row.workspace_id !== scope.workspaceId) throw notFound('Payout run');
    return toRun(db, row);
  }

  async function runs(scope: WorkspaceScope, programId: string, opts: { limit: number; before?: string | undefined }) {
    if (!(await programExists(db, scope, programId))) throw notFound('Program');
    let q = db
      .selectFrom('payout_runs')
      .selectAll()
      .where('program_id', '=', programId)
      .orderBy('id', 'desc')
      .limit(opts.limit);
    if (opts.before) q = q.where('id', '<', opts.before);
    const rows = await q.execute();
    return Promise.all(rows.map((r) => toRun(db, r)));
  }

  async function flags(scope: WorkspaceScope, programId: string, status: 'open' | 'all') {
    if (!(await programExists(db, scope, programId))) throw notFound('Program');
    const enrolled = db.selectFrom('enrollments').select('creator_id').where('program_id', '=', programId);
    let q = db
      .selectFrom('payout_flags')
      .selectAll()
      .where((eb) => eb.or([eb('creator_id', 'in', enrolled), eb('other_creator_id', 'in', enrolled)]))
      .orderBy('id', 'desc');
    if (status === 'open') q = q.where('status', '=', 'open');
    return (await q.execute()).map(toFlag);
  }

  async function resolveFlag(
    scope: WorkspaceScope,
    id: string,
    actor: string,
    resolution: 'cleared' | 'confirmed',
    note?: string,
  ) {
    const flag = await flagsOfWorkspace(db, scope.workspaceId).where('id', '=', id).executeTakeFirst();
    if (!flag) throw notFound('Payout flag');
    if (flag.status !== 'open') throw new AppError('INVALID_TRANSITION', 'This flag has been resolved already');
    const at = clock.now().toISOString();
    await db
      .updateTable('payout_flags')
      .set({ status: resolution, resolution_note: note ?? null, resolved_by: actor, resolved_at: at })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .execute();
    return toFlag({ ...flag, status: resolution, resolution_note: note ?? null, resolved_by: actor, resolved_at: at });
  }

  return { get, list, run, runs, flags, resolveFlag };
}

async function toRun(db: DbOrTx, row: repo.RunRow) {
  const summary = JSON.parse(row.summary) as { carriedForward: HeldCreator[]; blocked: HeldCreator[] };
  const byStatus = await db
    .selectFrom('payouts')
    .select([
      'status',
      (eb) => eb.fn.countAll<number | string>().as('n'),
      sql<number | string>`sum(amount + vat_amount)`.as('s'),
    ])
    .where('run_id', '=', row.id)
    .groupBy('status')
    .execute();
  const statuses = Object.fromEntries(
    byStatus.map((s) => [s.status, { count: Number(s.n), amount: Number(s.s ?? 0) }]),
  ) as Record<string, { count: number; amount: number }>;
  return {
    id: row.id,
    programId: row.program_id,
    dryRun: false,
    cutoff: row.cutoff,
    currency: row.currency,
    trigger: row.trigger,
    payoutCount: row.payout_count,
    totalAmount: row.total_amount,
    createdAt: row.created_at,
    statuses,
    carriedForward: summary.carriedForward,
    blocked: summary.blocked,
  };
}

function toFlag(f: FlagRow) {
  return {
    id: f.id,
    creatorId: f.creator_id,
    otherCreatorId: f.other_creator_id,
    destinationKind: f.destination_kind,
    status: f.status,
    note: f.resolution_note,
    createdAt: f.created_at,
    resolvedAt: f.resolved_at,
  };
}

export type PayoutReadsService = ReturnType<typeof payoutReadsService>;
