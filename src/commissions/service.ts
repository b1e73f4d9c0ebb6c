import { rollingUp } from '../analytics/rollups.js';
import type { Db } from '../db/database.js';
import { programOwner } from '../programs/repository.js';
import type { Clock } from '../shared/clock.js';
import { AppError, forbidden, notFound } from '../shared/errors.js';
import type { Principal, WorkspaceScope } from '../shared/principal.js';
import * as ledger from './ledger.js';
import {
  balanceParts,
  type CommissionFilter,
  type CommissionViewer,
  dueForApproval,
  endHoldingPeriod,
  findVisible,
  listVisible,
  toCommission,
} from './repository.js';
import type { Balance, Commission } from './schemas.js';

export {
  type CommissionViewer,
  commissionsOfConversion,
  commissionVisible,
  toCommission,
} from './repository.js';

export function commissionViewerOf(principal: Principal): CommissionViewer {
  if (principal.workspace) return { workspaceId: principal.workspace.id };
  if (principal.creatorId) return { creatorId: principal.creatorId };
  throw forbidden('Commissions belong to a brand workspace or a creator account');
}

export function commissionsService({ db, clock }: { db: Db; clock: Clock }) {
  async function get(viewer: CommissionViewer, id: string): Promise<Commission> {
    const row = await findVisible(db, viewer, id);
    if (!row) throw notFound('Commission');
    return toCommission(row);
  }

  async function list(viewer: CommissionViewer, opts: CommissionFilter): Promise<Commission[]> {
    return (await listVisible(db, viewer, opts)).map(toCommission);
  }

  /** A manager reviewed a held commission and found nothing wrong: it follows the holding period again. */
  async function releaseHold(scope: WorkspaceScope, id: string, actor: string, note?: string): Promise<Commission> {
    return db.transaction().execute(async (tx) => {
      const row = await findVisible(tx, scope, id);
      if (!row) throw notFound('Commission');
      if (!row.hold_reason || row.status !== 'pending') {
        throw new AppError('COMMISSION_NOT_HELD', 'Only a pending commission held for review can be released');
      }
      const at = clock.now().toISOString();
      const reason = `hold (${row.hold_reason}) reviewed and released${note ? `: ${note}` : ''}`;
      const done = await ledger.releaseHold(tx, [id], { reason, actor, at });
      if (done.length !== 1) throw new AppError('CONFLICT', 'The commission changed meanwhile; retry');
      return toCommission({ ...row, hold_reason: null, status_reason: reason, updated_at: at });
    });
  }

  /**
   * A manager approves a pending commission before its holding period ends (the order was
   * delivered and can no longer be returned, say): it becomes payable now. A held one must be
   * reviewed and released first.
   */
  async function approveNow(scope: WorkspaceScope, id: string, actor: string, note?: string): Promise<Commission> {
    return db.transaction().execute(async (tx) => {
      const row = await findVisible(tx, scope, id);
      if (!row) throw notFound('Commission');
      if (row.kind === 'reversal' || row.status !== 'pending') {
        throw new AppError('COMMISSION_LOCKED', `Only a pending commission can be approved; this one is ${row.status}`);
      }
      if (row.hold_reason) {
        throw new AppError('COMMISSION_LOCKED', 'The commission is held for review: release it first');
      }
      const at = clock.now().toISOString();
      const reason = `approved by a manager before the holding period ended${note ? `: ${note}` : ''}`;
      const done = await ledger.approve(tx, [id], { reason, actor, at });
      if (done.length !== 1) throw new AppError('CONFLICT', 'The commission changed meanwhile; retry');
      await endHoldingPeriod(tx, id, at);
      return toCommission({ ...row, status: 'approved', status_reason: reason, approve_after: at, updated_at: at });
    });
  }

  async function reject(scope: WorkspaceScope, id: string, actor: string, reason: string): Promise<Commission> {
    return db.transaction().execute(async (tx) => {
      const row = await findVisible(tx, scope, id);
      if (!row) throw notFound('Commission');
      if (row.kind === 'reversal' || (row.status !== 'pending' && row.status !== 'approved')) {
        throw new AppError(
          'COMMISSION_LOCKED',
          `A ${row.kind === 'reversal' ? 'reversal' : `${row.status} commission`} cannot be rejected`,
        );
      }
      if (row.payout_id !== null && row.status === 'approved') {
        throw new AppError(
          'COMMISSION_LOCKED',
          `The commission is in payout ${row.payout_id}; fail that payout first to take it back`,
        );
      }
      const at = clock.now().toISOString();
      // A rejected commission no longer counts in analytics.
      const from = row.status;
      if (!(await rollingUp(tx, [row.conversion_id], () => ledger.reject(tx, id, from, { reason, actor, at })))) {
        throw new AppError('CONFLICT', 'The commission changed meanwhile; retry');
      }
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
      const ids = await dueForApproval(db, now.toISOString(), batch);
      if (ids.length === 0) return approved;
      await db.transaction().execute(async (tx) => {
        const at = clock.now().toISOString();
        const done = await ledger.approve(tx, ids, { reason: 'holding period ended', actor: 'scheduler', at });
        approved += done.length;
      });
      if (ids.length < batch) return approved;
    }
  }

  /** A creator's balance in one program, derived from the ledger. */
  async function balance(viewer: CommissionViewer, creatorId: string, programId: string): Promise<Balance> {
    const program = await programOwner(db, programId);
    const allowed =
      program &&
      ('workspaceId' in viewer ? program.workspace_id === viewer.workspaceId : viewer.creatorId === creatorId);
    if (!program || !allowed) throw notFound('Creator or program');
    // A reversal of an unpaid commission nets that commission wherever it stands; a reversal of
    // a paid one is payable itself (negative), so the next payout deducts it.
    const { own, netted, payable, held } = await balanceParts(db, creatorId, programId);
    const sum = (status: string) =>
      [own, netted, payable].reduce((s, rows) => s + Number(rows.find((r) => r.status === status)?.total ?? 0), 0);
    return {
      creatorId,
      programId,
      currency: program.currency,
      pending: sum('pending'),
      approved: sum('approved'),
      paid: sum('paid'),
      held,
    };
  }

  return { get, list, releaseHold, approveNow, reject, approveDue, balance };
}

export type CommissionsService = ReturnType<typeof commissionsService>;
