import { findCreatorByEmail, insertCreator } from '../creators/repository.js';
import type { Db, DbOrTx } from '../db/database.js';
import { nobodyToTell, type ProgramChanged } from '../programs/cache.js';
import { recordRateChange, sameRate } from '../programs/rate-changes.js';
import { findProgram } from '../programs/repository.js';
import type { Rate } from '../programs/schemas.js';
import type { Clock } from '../shared/clock.js';
import { AppError, forbidden, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { type Principal, roleAtLeast, type WorkspaceScope, workspaceScope } from '../shared/principal.js';
import * as repo from './repository.js';
import type {
  CreateEnrollmentInput,
  Enrollment,
  EnrollmentDetail,
  EnrollmentStatus,
  ListEnrollmentsQuery,
  UpdateEnrollmentInput,
} from './schemas.js';
import { checkTransition } from './transitions.js';

/**
 * Who calls, and as what. One path serves brands and creators, so the service decides from this
 * what the caller may see and do. `actor` is recorded in the history: a user id, or an API key id.
 */
export type Caller =
  | { kind: 'brand'; scope: WorkspaceScope; actor: string }
  | { kind: 'creator'; creatorId: string; actor: string };

export function callerOf(principal: Principal | undefined): Caller {
  if (!principal) throw new AppError('UNAUTHENTICATED', 'A bearer token is required');
  const actor = principal.userId ?? principal.credentialId;
  if (principal.workspace) return { kind: 'brand', scope: workspaceScope(principal), actor };
  if (principal.creatorId) return { kind: 'creator', creatorId: principal.creatorId, actor };
  throw forbidden('This needs a brand or creator account');
}

function ownerOf(caller: Caller): repo.EnrollmentOwner {
  return caller.kind === 'brand' ? { scope: caller.scope } : { creatorId: caller.creatorId };
}

function requireManager(scope: WorkspaceScope, what: string): void {
  if (!roleAtLeast(scope.role, 'manager')) throw forbidden(`${what} needs the manager role; you are ${scope.role}`);
}

/** A unique constraint refused a write: on PostgreSQL code 23505, on SQLite a message. */
function uniqueViolation(err: unknown): { duplicateEnrollment: boolean } | undefined {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e?.code === '23505') return { duplicateEnrollment: e.constraint === 'enrollments_program_creator' };
  const message = e?.message ?? '';
  if (!/UNIQUE constraint failed/.test(message)) return undefined;
  return { duplicateEnrollment: /UNIQUE constraint failed: enrollments\.program_id/.test(message) };
}

function alreadyEnrolled(status: EnrollmentStatus): AppError {
  const detail: Record<EnrollmentStatus, string> = {
    applied: 'an application is waiting for review',
    invited: 'an invitation is waiting for the creator to accept or decline it',
    approved: 'the creator is already approved',
    suspended: 'the creator is suspended; the brand can approve them again',
    rejected: 'it was rejected',
  };
  return new AppError('ALREADY_ENROLLED', `The creator already has an enrollment in this program: ${detail[status]}`);
}

function nameFromEmail(email: string): string {
  return email.split('@')[0] ?? email;
}

/** What an invitation tells the invited creator; written in the invitation's own transaction. */
export type OnInvited = (
  tx: DbOrTx,
  invitation: { enrollmentId: string; programId: string; creatorId: string; email: string; message: string | null },
) => Promise<void>;

export function enrollmentsService({
  db,
  clock,
  onChange = nobodyToTell,
  onInvited,
  afterInvited,
}: {
  db: Db;
  clock: Clock;
  onChange?: ProgramChanged | undefined;
  /** The invitation email, written with the invitation. */
  onInvited?: OnInvited | undefined;
  /** After the invitation has committed (starts the email's delivery). */
  afterInvited?: (() => void) | undefined;
}) {
  const changed = async (enrollment: EnrollmentDetail): Promise<EnrollmentDetail> => {
    await onChange(enrollment.programId);
    return enrollment;
  };

  async function detail(tx: DbOrTx, caller: Caller, id: string): Promise<EnrollmentDetail> {
    const enrollment = await repo.findEnrollment(tx, ownerOf(caller), id);
    if (!enrollment) throw notFound('Enrollment');
    return { ...enrollment, history: await repo.listEnrollmentEvents(tx, id) };
  }

  /**
   * Writes a new enrollment (no earlier one) or reopens a rejected one, with its history event.
   * Runs inside the caller's transaction.
   */
  async function open(
    tx: DbOrTx,
    actor: string,
    existing: repo.EnrollmentRecord | undefined,
    fields: { workspaceId: string; programId: string; creatorId: string },
    next: { status: 'applied' | 'invited'; rate: Rate | null; reason: string | null },
  ): Promise<string> {
    const now = clock.now();
    const at = now.toISOString();
    let id: string;
    if (existing) {
      // Only a rejected enrollment is reopened; the caller has refused every other status.
      if (!(await repo.updateEnrollment(tx, existing.id, 'rejected', { ...next, updatedAt: at }))) {
        throw new AppError('CONFLICT', 'The enrollment was changed meanwhile; try again');
      }
      id = existing.id;
    } else {
      id = newId('enrollment', now.getTime());
      await repo.insertEnrollment(tx, { id, ...fields, ...next, createdAt: at, updatedAt: at });
    }
    await repo.insertEnrollmentEvent(tx, {
      id: newId('enrollmentEvent', now.getTime()),
      enrollmentId: id,
      fromStatus: existing?.status ?? null,
      toStatus: next.status,
      reason: next.reason,
      actor,
      at,
    });
    return id;
  }

  /** A creator applies to an open program of any brand. */
  async function apply(
    caller: Extract<Caller, { kind: 'creator' }>,
    programId: string,
    input: CreateEnrollmentInput,
  ): Promise<EnrollmentDetail> {
    const brandOnly = (['creatorEmail', 'creatorName', 'rate'] as const).filter((k) => input[k] !== undefined);
    if (brandOnly.length > 0) {
      throw forbidden(
        `Only a brand invites creators or sets rates (${brandOnly.join(', ')}); a creator applies with {message?}`,
      );
    }
    const saved = await db.transaction().execute(async (tx) => {
      const program = await repo.findProgramForApplication(tx, programId);
      if (!program) throw notFound('Program');
      if (program.status === 'archived') {
        throw new AppError('PROGRAM_ARCHIVED', 'The program is archived and takes no applications');
      }
      const existing = await repo.findEnrollmentOf(tx, program.id, caller.creatorId);
      if (existing && existing.status !== 'rejected') throw alreadyEnrolled(existing.status);
      if (program.visibility === 'invite') {
        throw new AppError('PROGRAM_INVITE_ONLY', `${program.name} is invite-only: the brand invites its creators`);
      }
      const id = await open(
        tx,
        caller.actor,
        existing,
        { workspaceId: program.workspace_id, programId: program.id, creatorId: caller.creatorId },
        { status: 'applied', rate: existing?.rate ?? null, reason: input.message ?? null },
      );
      return detail(tx, caller, id);
    });
    return changed(saved);
  }

  /**
   * A brand invites a creator by email. An email with no creator account yet gets a creator
   * record without a user, which that person claims when they sign up as a creator.
   */
  async function invite(
    caller: Extract<Caller, { kind: 'brand' }>,
    programId: string,
    input: CreateEnrollmentInput,
  ): Promise<EnrollmentDetail> {
    requireManager(caller.scope, 'Inviting creators');
    const email = input.creatorEmail;
    if (!email) {
      throw new AppError('VALIDATION_FAILED', 'A brand invites a creator with {creatorEmail}', [
        { path: 'body.creatorEmail', message: 'required when a brand invites' },
      ]);
    }
    const saved = await db.transaction().execute(async (tx) => {
      const program = await findProgram(tx, caller.scope, programId);
      if (!program) throw notFound('Program');
      if (program.status === 'archived') {
        throw new AppError('PROGRAM_ARCHIVED', 'The program is archived; restore it before inviting creators');
      }
      const creator =
        (await findCreatorByEmail(tx, email)) ??
        (await insertCreator(tx, {
          id: newId('creator'),
          userId: null,
          name: input.creatorName ?? nameFromEmail(email),
          email,
          country: null,
          createdAt: clock.now().toISOString(),
        }));
      const existing = await repo.findEnrollmentOf(tx, program.id, creator.id);
      if (existing && existing.status !== 'rejected') throw alreadyEnrolled(existing.status);
      const id = await open(
        tx,
        caller.actor,
        existing,
        { workspaceId: caller.scope.workspaceId, programId: program.id, creatorId: creator.id },
        {
          status: 'invited',
          rate: input.rate !== undefined ? input.rate : (existing?.rate ?? null),
          reason: input.message ?? null,
        },
      );
      await onInvited?.(tx, {
        enrollmentId: id,
        programId: program.id,
        creatorId: creator.id,
        email: creator.email,
        message: input.message ?? null,
      });
      return detail(tx, caller, id);
    });
    afterInvited?.();
    return changed(saved);
  }

  /** `POST /programs/{id}/enrollments`: an application from a creator, an invitation from a brand. */
  async function create(caller: Caller, programId: string, input: CreateEnrollmentInput): Promise<EnrollmentDetail> {
    try {
      return caller.kind === 'creator' ? await apply(caller, programId, input) : await invite(caller, programId, input);
    } catch (err) {
      // A concurrent application or invitation for the same pair (or the same new email) won.
      const unique = uniqueViolation(err);
      if (unique?.duplicateEnrollment) {
        throw new AppError('ALREADY_ENROLLED', 'The creator already has an enrollment in this program');
      }
      if (unique) throw new AppError('CONFLICT', 'Another request changed the same records meanwhile; try again');
      throw err;
    }
  }

  async function update(caller: Caller, id: string, input: UpdateEnrollmentInput): Promise<EnrollmentDetail> {
    const saved = await db.transaction().execute(async (tx) => {
      const current = await repo.findEnrollment(tx, ownerOf(caller), id);
      if (!current) throw notFound('Enrollment');
      if (caller.kind === 'brand') requireManager(caller.scope, 'Changing an enrollment');
      if (caller.kind === 'creator' && input.rate !== undefined)
        throw forbidden("Only the brand sets a creator's rate");

      const to = input.status ?? current.status;
      const changesStatus = to !== current.status;
      const rate = input.rate !== undefined ? input.rate : current.rate;
      // The same status again is a repeat of a change already made: nothing to do.
      if (!changesStatus && sameRate(rate, current.rate)) return detail(tx, caller, id);

      if (changesStatus) {
        const check = checkTransition(caller.kind, current.status, to, input.reason);
        if (!check.ok) {
          throw new AppError(
            check.code,
            check.message,
            check.code === 'REASON_REQUIRED' ? [{ path: 'body.reason', message: `required to set ${to}` }] : undefined,
          );
        }
        if (to === 'approved') {
          const program = await repo.findProgramForApplication(tx, current.programId);
          if (program?.status === 'archived') {
            throw new AppError('PROGRAM_ARCHIVED', 'The program is archived; restore it before approving creators');
          }
        }
      }

      const now = clock.now();
      const at = now.toISOString();
      const reason = changesStatus ? (input.reason ?? null) : current.reason;
      if (!(await repo.updateEnrollment(tx, id, current.status, { status: to, rate, reason, updatedAt: at }))) {
        throw new AppError('CONFLICT', 'The enrollment was changed meanwhile; read it again and retry');
      }
      if (!sameRate(rate, current.rate)) {
        await recordRateChange(tx, {
          programId: current.programId,
          enrollmentId: id,
          from: current.rate,
          to: rate,
          at,
        });
      }
      if (changesStatus) {
        await repo.insertEnrollmentEvent(tx, {
          id: newId('enrollmentEvent', now.getTime()),
          enrollmentId: id,
          fromStatus: current.status,
          toStatus: to,
          reason,
          actor: caller.actor,
          at,
        });
      }
      return detail(tx, caller, id);
    });
    return changed(saved);
  }

  async function get(caller: Caller, id: string): Promise<EnrollmentDetail> {
    return detail(db, caller, id);
  }

  async function list(
    caller: Caller,
    opts: Omit<ListEnrollmentsQuery, 'cursor'> & { before?: string | undefined },
  ): Promise<Enrollment[]> {
    return repo.listEnrollments(db, ownerOf(caller), opts);
  }

  return { create, update, get, list };
}

export type EnrollmentsService = ReturnType<typeof enrollmentsService>;
