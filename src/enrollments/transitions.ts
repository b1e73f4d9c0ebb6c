import type { EnrollmentStatus } from './schemas.js';

/** Who asks for a change: the program's brand (manager or owner) or the enrolled creator. */
export type ChangedBy = 'brand' | 'creator';

export type TransitionCheck =
  | { ok: true }
  | { ok: false; code: 'FORBIDDEN' | 'INVALID_TRANSITION' | 'REASON_REQUIRED'; message: string };

/**
 * The status changes a PATCH may make. Applications and invitations (to `applied` or
 * `invited`) are made with POST, which is also how a rejected enrollment is reopened.
 */
const brandMoves: Record<EnrollmentStatus, readonly EnrollmentStatus[]> = {
  applied: ['approved', 'rejected'],
  invited: ['rejected'], // the brand withdraws its invitation; only the creator accepts it
  approved: ['suspended', 'rejected'],
  suspended: ['approved', 'rejected'],
  rejected: [],
};

const creatorMoves: Record<EnrollmentStatus, readonly EnrollmentStatus[]> = {
  applied: [],
  invited: ['approved', 'rejected'], // accept or decline the invitation
  approved: [],
  suspended: [],
  rejected: [],
};

/** Statuses a brand may only set with a reason, so the creator is told why. */
const reasonRequired: ReadonlySet<EnrollmentStatus> = new Set(['rejected', 'suspended']);

function hint(from: EnrollmentStatus, to: EnrollmentStatus): string {
  if (to === 'applied' || to === 'invited') {
    return 'applications and invitations are made with POST /api/v1/programs/{id}/enrollments';
  }
  if (from === 'invited' && to === 'approved') return 'only the invited creator can accept an invitation';
  if (from === 'rejected') return 'a rejected enrollment is reopened by applying or inviting again';
  return `from ${from} it can go to ${brandMoves[from].join(' or ') || 'nothing'}`;
}

/** Decides whether `by` may move an enrollment from `from` to a different status `to`. */
export function checkTransition(
  by: ChangedBy,
  from: EnrollmentStatus,
  to: EnrollmentStatus,
  reason: string | undefined,
): TransitionCheck {
  if (by === 'creator') {
    if (creatorMoves[from].includes(to)) return { ok: true };
    return {
      ok: false,
      code: 'FORBIDDEN',
      message: `A creator can only accept ("approved") or decline ("rejected") an invitation; this enrollment is ${from}`,
    };
  }
  if (!brandMoves[from].includes(to)) {
    return {
      ok: false,
      code: 'INVALID_TRANSITION',
      message: `An enrollment cannot go from ${from} to ${to}: ${hint(from, to)}`,
    };
  }
  if (reasonRequired.has(to) && !reason) {
    return { ok: false, code: 'REASON_REQUIRED', message: `Setting an enrollment to ${to} needs a reason` };
  }
  return { ok: true };
}
