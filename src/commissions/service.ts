import { insertEvent } from '../conversions/repository.js';
import type { Db, DbOrTx } from '../db/database.js';
import type { CommissionStatus } from '../db/schema.js';
import type { Rate } from '../programs/schemas.js';
import type { Clock } from '../shared/clock.js';
import { AppError, forbidden, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Principal, WorkspaceScope } from '../shared/principal.js';
import type { Balance, Commission } from './schemas.js';

/** Who may see commissions: a brand sees its workspace's, a creator only its own. */
export type CommissionViewer = { workspaceId: string } | { creatorId: string };

export function commissionViewerOf(principal: Principal): CommissionViewer {
  if (principal.workspace) return { workspaceId: principal.workspace.id };
  if (principal.creatorId) return { creatorId: principal.creatorId };
  throw forbidden('Commissions belong to a brand workspace or a creator account');
}

function visible(db: DbOrTx, viewer: CommissionViewer) {
  const q = db
    .selectFrom('commissions as c')
    .innerJoin('conversions as v', 'v.id', 'c.conversion_id')
    .selectAll('c')
    .select(['v.external_id as order_id', 'v.attribution as attribution']);
  return 'workspaceId' in viewer
    ? q.where('c.workspace_id', '=', viewer.workspaceId)
    : q.where('c.creator_id', '=', viewer.creatorId);
}

type Row = Awaited<ReturnType<ReturnType<typeof visible>['executeTakeFirstOrThrow']>>;

/** A ledger row (with its order's id and attribution) as the API shows it. */
export const toCommission = (r: Row): Commission => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  amount: r.amount,
  currency: r.currency,
  creatorId: r.creator_id,
  programId: r.program_id,
  conversionId: r.conversion_id,
  orderId: r.order_id,
  attribution: r.attribution,
  explanation: r.explanation,
  lineNo: r.line_no,
  baseAmount: r.base_amount,
  rate: r.rate ? (JSON.parse(r.rate) as Rate) : null,
  rateSource: r.rate_source as Commission['rateSource'],
  reversesId: r.reverses_id,
  refundId: r.refund_id,
  hold: r.hold_reason ? { reason: r.hold_reason, detail: r.hold_detail } : null,
  statusReason: r.status_reason,
  approveAfter: r.approve_after,
  payoutId: r.payout_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function commissionVisible(db: DbOrTx, viewer: CommissionViewer, id: string): Promise<boolean> {
  const q = db.selectFrom('commissions').select('id').where('id', '=', id);
  const row = await ('workspaceId' in viewer
    ? q.where('workspace_id', '=', viewer.workspaceId)
    : q.where('creator_id', '=', viewer.creatorId)
  ).executeTakeFirst();
  return row !== undefined;
}

export function commissionsService({ db, clock }: { db: Db; clock: Clock }) {
  async function get(viewer: CommissionViewer, id: string): Promise<Commission> {
    const row = await visible(db, viewer).where('c.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Commission');
    return toCommission(row);
  }

  async function list(
    viewer: CommissionViewer,
    opts: {
      limit: number;
      before?: string | undefined;
      programId?: string | undefined;
      creatorId?: string | undefined;
      conversionId?: string | undefined;
      status?: CommissionStatus | undefined;
      held?: 'true' | 'false' | undefined;
    },
  ): Promise<Commission[]> {
    let q = visible(db, viewer);
    if (opts.before) q = q.where('c.id', '<', opts.before);
    if (opts.programId) q = q.where('c.program_id', '=', opts.programId);
    if (opts.creatorId) q = q.where('c.creator_id', '=', opts.creatorId);
    if (opts.conversionId) q = q.where('c.conversion_id', '=', opts.conversionId);
    if (opts.status) q = q.where('c.status', '=', opts.status);
    if (opts.held === 'true') q = q.where('c.hold_reason', 'is not', null);
    if (opts.held === 'false') q = q.where('c.hold_reason', 'is', null);
    return (await q.orderBy('c.id', 'desc').limit(opts.limit).execute()).map(toCommission);
  }

  /** A manager reviewed a held commission and found nothing wrong: it follows the holding period again. */
  async function releaseHold(scope: WorkspaceScope, id: string, actor: string, note?: string): Promise<Commission> {
    return db.transaction().execute(async (tx) => {
      const row = await visible(tx, scope).where('c.id', '=', id).executeTakeFirst();
      if (!row) throw notFound('Commission');
      if (!row.hold_reason || row.status !== 'pending') {
        throw new AppError('COMMISSION_NOT_HELD', 'Only a pending commission held for review can be released');
      }
      const at = clock.now().toISOString();
      const reason = `hold (${row.hold_reason}) reviewed and released${note ? `: ${note}` : ''}`;
      await tx
        .updateTable('commissions')
        .set({ hold_reason: null, status_reason: reason, updated_at: at })
        .where('id', '=', id)
        .execute();
      await insertEvent(tx, {
        id: newId('commissionEvent'),
        commissionId: id,
        from: 'pending',
        to: 'pending',
        reason,
        actor,
        at,
      });
      return toCommission({ ...row, hold_reason: null, status_reason: reason, updated_at: at });
    });
  }

  async function reject(scope: WorkspaceScope, id: string, actor: string, reason: string): Promise<Commission> {
    return db.transaction().execute(async (tx) => {
      const row = await visible(tx, scope).where('c.id', '=', id).executeTakeFirst();
      if (!row) throw notFound('Commission');
      if (row.payout_id !== null && row.status === 'approved') {
        throw new AppError(
          'COMMISSION_LOCKED',
          `The commission is in payout ${row.payout_id}; fail that payout first to take it back`,
        );
      }
      if (row.kind === 'reversal' || (row.status !== 'pending' && row.status !== 'approved')) {
        throw new AppError(
          'COMMISSION_LOCKED',
          `A ${row.kind === 'reversal' ? 'reversal' : `${row.status} commission`} cannot be rejected`,
        );
      }
      const at = clock.now().toISOString();
      const changed = await tx
        .updateTable('commissions')
        .set({ status: 'rejected', status_reason: reason, updated_at: at })
        .where('id', '=', id)
        .where('status', '=', row.status)
        .where('payout_id', 'is', null)
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) !== 1)
        throw new AppError('CONFLICT', 'The commission changed meanwhile; retry');
      await insertEvent(tx, {
        id: newId('commissionEvent'),
        commissionId: id,
        from: row.status,
        to: 'rejected',
        reason,
        actor,
        at,
      });
      return toCommission({ ...row, status: 'rejected', status_reason: reason, updated_at: at });
    });
  }

  /**
   * Approves every pending commission whose holding period has ended and that no fraud flag
   * holds. Safe to run on several instances at once: each update is conditional on the status.
   */
  async function approveDue(now: Date = clock.now(), batch = 500): Promise<number> {
    let approved = 0;
    for (;;) {
      const at = now.toISOString();
      const due = await db
        .selectFrom('commissions')
        .select('id')
        .where('status', '=', 'pending')
        .where('approve_after', '<=', at)
        .where('hold_reason', 'is', null)
        .where('kind', 'in', ['sale', 'lead'])
        .orderBy('id')
        .limit(batch)
        .execute();
      if (due.length === 0) return approved;
      const ids = due.map((d) => d.id);
      await db.transaction().execute(async (tx) => {
        const stamp = clock.now().toISOString();
        const done = await tx
          .updateTable('commissions')
          .set({ status: 'approved', updated_at: stamp })
          .where('id', 'in', ids)
          .where('status', '=', 'pending')
          .where('hold_reason', 'is', null)
          .returning('id')
          .execute();
        for (const { id } of done) {
          await insertEvent(tx, {
            id: newId('commissionEvent'),
            commissionId: id,
            from: 'pending',
            to: 'approved',
            reason: 'holding period ended',
            actor: 'scheduler',
            at: stamp,
          });
        }
        approved += done.length;
      });
      if (due.length < batch) return approved;
    }
  }

  /** A creator's balance in one program, derived from the ledger. */
  async function balance(viewer: CommissionViewer, creatorId: string, programId: string): Promise<Balance> {
    const program = await db
      .selectFrom('programs')
      .select(['id', 'currency', 'workspace_id'])
      .where('id', '=', programId)
      .executeTakeFirst();
    const allowed =
      program &&
      ('workspaceId' in viewer ? program.workspace_id === viewer.workspaceId : viewer.creatorId === creatorId);
    if (!program || !allowed) throw notFound('Creator or program');
    const own = await db
      .selectFrom('commissions')
      .select(['status', (eb) => eb.fn.sum<number | string>('amount').as('total')])
      .where('creator_id', '=', creatorId)
      .where('program_id', '=', programId)
      .where('kind', '!=', 'reversal')
      .groupBy('status')
      .execute();
    // A reversal of an unpaid commission nets that commission wherever it stands; a reversal of
    // a paid one is payable itself (negative), so the next payout deducts it.
    const netted = await db
      .selectFrom('commissions as r')
      .innerJoin('commissions as o', 'o.id', 'r.reverses_id')
      .select(['o.status as status', (eb) => eb.fn.sum<number | string>('r.amount').as('total')])
      .where('r.creator_id', '=', creatorId)
      .where('r.program_id', '=', programId)
      .where('r.kind', '=', 'reversal')
      .where('r.status', '=', 'reversed')
      .groupBy('o.status')
      .execute();
    const payable = await db
      .selectFrom('commissions')
      .select(['status', (eb) => eb.fn.sum<number | string>('amount').as('total')])
      .where('creator_id', '=', creatorId)
      .where('program_id', '=', programId)
      .where('kind', '=', 'reversal')
      .where('status', 'in', ['approved', 'paid'])
      .groupBy('status')
      .execute();
    const heldRows = await db
      .selectFrom('commissions')
      .select((eb) => eb.fn.sum<number | string>('amount').as('total'))
      .where('creator_id', '=', creatorId)
      .where('program_id', '=', programId)
      .where('status', '=', 'pending')
      .where('hold_reason', 'is not', null)
      .executeTakeFirst();
    const sum = (status: string) =>
      [own, netted, payable].reduce((s, rows) => s + Number(rows.find((r) => r.status === status)?.total ?? 0), 0);
    return {
      creatorId,
      programId,
      currency: program.currency,
      pending: sum('pending'),
      approved: sum('approved'),
      paid: sum('paid'),
      held: Number(heldRows?.total ?? 0),
    };
  }

  return { get, list, releaseHold, reject, approveDue, balance };
}

export type CommissionsService = ReturnType<typeof commissionsService>;

/**
 * Every ledger entry of one conversion, oldest first. The caller has checked the conversion is
 * the viewer's; the lookup goes by the conversion's own index, not through the workspace's.
 */
export async function commissionsOfConversion(db: DbOrTx, conversionId: string): Promise<Commission[]> {
  const rows = await db
    .selectFrom('commissions as c')
    .innerJoin('conversions as v', 'v.id', 'c.conversion_id')
    .selectAll('c')
    .select(['v.external_id as order_id', 'v.attribution as attribution'])
    .where('c.conversion_id', '=', conversionId)
    .execute();
  return rows.sort((a, b) => (a.id < b.id ? -1 : 1)).map(toCommission);
}
