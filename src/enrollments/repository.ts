import type { Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { EnrollmentEventsTable, EnrollmentStatus, EnrollmentsTable, ProgramsTable } from '../db/schema.js';
import { rateFromColumns, rateToColumns } from '../programs/repository.js';
import type { Rate } from '../programs/schemas.js';
import type { WorkspaceScope } from '../shared/principal.js';
import type { Enrollment, EnrollmentEvent } from './schemas.js';

type Row = Selectable<EnrollmentsTable>;

/** An enrollment as stored: what other domains (links, commissions) need to know about it. */
export interface EnrollmentRecord {
  id: string;
  workspaceId: string;
  programId: string;
  creatorId: string;
  status: EnrollmentStatus;
  rate: Rate | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Whose enrollments a query may see: one workspace's, or one creator's own. */
export type EnrollmentOwner = { scope: WorkspaceScope } | { creatorId: string };

export function toEnrollmentRecord(row: Row): EnrollmentRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    programId: row.program_id,
    creatorId: row.creator_id,
    status: row.status,
    rate: row.rate_type && row.rate_value !== null ? rateFromColumns(row.rate_type, row.rate_value) : null,
    reason: row.reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toEnrollment(row: Row & { program_name: string; creator_name: string }): Enrollment {
  const { workspaceId: _, ...record } = toEnrollmentRecord(row);
  return { ...record, programName: row.program_name, creatorName: row.creator_name };
}

export function toEnrollmentEvent(row: Selectable<EnrollmentEventsTable>): EnrollmentEvent {
  return {
    id: row.id,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    reason: row.reason,
    actor: row.actor,
    at: row.at,
  };
}

function rateColumns(rate: Rate | null): Pick<Row, 'rate_type' | 'rate_value'> {
  if (!rate) return { rate_type: null, rate_value: null };
  const { type, value } = rateToColumns(rate);
  return { rate_type: type, rate_value: value };
}

/**
 * A program looked up by id in any workspace: creators apply to programs of every brand, so this
 * read is deliberately not scoped. It returns only what an application needs to be decided.
 */
export async function findProgramForApplication(
  db: DbOrTx,
  programId: string,
): Promise<Pick<Selectable<ProgramsTable>, 'id' | 'workspace_id' | 'name' | 'visibility' | 'status'> | undefined> {
  return db
    .selectFrom('programs')
    .select(['id', 'workspace_id', 'name', 'visibility', 'status'])
    .where('id', '=', programId)
    .executeTakeFirst();
}

export async function findEnrollmentOf(
  db: DbOrTx,
  programId: string,
  creatorId: string,
): Promise<EnrollmentRecord | undefined> {
  const row = await db
    .selectFrom('enrollments')
    .selectAll()
    .where('program_id', '=', programId)
    .where('creator_id', '=', creatorId)
    .executeTakeFirst();
  return row ? toEnrollmentRecord(row) : undefined;
}

/** The creator's enrollment in the program if it is approved, else undefined: who may have links. */
export async function findApprovedEnrollment(
  db: DbOrTx,
  programId: string,
  creatorId: string,
): Promise<EnrollmentRecord | undefined> {
  const row = await db
    .selectFrom('enrollments')
    .selectAll()
    .where('program_id', '=', programId)
    .where('creator_id', '=', creatorId)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return row ? toEnrollmentRecord(row) : undefined;
}

/** True when the creator has an enrollment, in any status, in a program of the workspace. */
export async function creatorEnrolledIn(db: DbOrTx, scope: WorkspaceScope, creatorId: string): Promise<boolean> {
  const row = await db
    .selectFrom('enrollments')
    .select('id')
    .where('creator_id', '=', creatorId)
    .where('workspace_id', '=', scope.workspaceId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertEnrollment(db: DbOrTx, e: EnrollmentRecord): Promise<void> {
  await db
    .insertInto('enrollments')
    .values({
      id: e.id,
      workspace_id: e.workspaceId,
      program_id: e.programId,
      creator_id: e.creatorId,
      status: e.status,
      ...rateColumns(e.rate),
      reason: e.reason,
      created_at: e.createdAt,
      updated_at: e.updatedAt,
    })
    .execute();
}

/**
 * Writes a new status, rate and reason, but only if the enrollment still has the status the
 * caller decided on; false means someone else changed it in between.
 */
export async function updateEnrollment(
  db: DbOrTx,
  id: string,
  expected: EnrollmentStatus,
  next: { status: EnrollmentStatus; rate: Rate | null; reason: string | null; updatedAt: string },
): Promise<boolean> {
  const result = await db
    .updateTable('enrollments')
    .set({ status: next.status, ...rateColumns(next.rate), reason: next.reason, updated_at: next.updatedAt })
    .where('id', '=', id)
    .where('status', '=', expected)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function insertEnrollmentEvent(
  db: DbOrTx,
  event: EnrollmentEvent & { enrollmentId: string },
): Promise<void> {
  await db
    .insertInto('enrollment_events')
    .values({
      id: event.id,
      enrollment_id: event.enrollmentId,
      from_status: event.fromStatus,
      to_status: event.toStatus,
      reason: event.reason,
      actor: event.actor,
      at: event.at,
    })
    .execute();
}

export async function listEnrollmentEvents(db: DbOrTx, enrollmentId: string): Promise<EnrollmentEvent[]> {
  const rows = await db
    .selectFrom('enrollment_events')
    .selectAll()
    .where('enrollment_id', '=', enrollmentId)
    .orderBy('id', 'asc')
    .execute();
  return rows.map(toEnrollmentEvent);
}

function selectEnrollments(db: DbOrTx, owner: EnrollmentOwner) {
  const q = db
    .selectFrom('enrollments')
    .innerJoin('programs', 'programs.id', 'enrollments.program_id')
    .innerJoin('creators', 'creators.id', 'enrollments.creator_id')
    .selectAll('enrollments')
    .select(['programs.name as program_name', 'creators.name as creator_name']);
  return 'scope' in owner
    ? q.where('enrollments.workspace_id', '=', owner.scope.workspaceId)
    : q.where('enrollments.creator_id', '=', owner.creatorId);
}

/** An enrollment that the owner may see, or undefined (missing and not-yours look the same). */
export async function findEnrollment(db: DbOrTx, owner: EnrollmentOwner, id: string): Promise<Enrollment | undefined> {
  const row = await selectEnrollments(db, owner).where('enrollments.id', '=', id).executeTakeFirst();
  return row ? toEnrollment(row) : undefined;
}

export async function listEnrollments(
  db: DbOrTx,
  owner: EnrollmentOwner,
  opts: {
    limit: number;
    before?: string | undefined;
    programId?: string | undefined;
    status?: EnrollmentStatus | undefined;
  },
): Promise<Enrollment[]> {
  let q = selectEnrollments(db, owner).orderBy('enrollments.id', 'desc').limit(opts.limit);
  if (opts.before) q = q.where('enrollments.id', '<', opts.before);
  if (opts.programId) q = q.where('enrollments.program_id', '=', opts.programId);
  if (opts.status) q = q.where('enrollments.status', '=', opts.status);
  return (await q.execute()).map(toEnrollment);
}
