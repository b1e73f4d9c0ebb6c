import type { Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import type { RateChangesTable } from '../db/schema.js';
import { newId } from '../shared/ids.js';
import type { Rate } from './schemas.js';

/**
 * Every change of a program's default rate or of a creator's own rate, kept so that a cut can
 * reach creators who were already enrolled only after the program's notice period.
 */
export interface RateChange {
  enrollmentId: string | null;
  from: Rate | null;
  to: Rate | null;
  at: string;
}

export function sameRate(a: Rate | null, b: Rate | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export async function recordRateChange(
  db: DbOrTx,
  change: { programId: string; enrollmentId: string | null; from: Rate | null; to: Rate | null; at: string },
): Promise<void> {
  await db
    .insertInto('rate_changes')
    .values({
      id: newId('rateChange', Date.parse(change.at)),
      program_id: change.programId,
      enrollment_id: change.enrollmentId,
      old_rate: change.from ? JSON.stringify(change.from) : null,
      new_rate: change.to ? JSON.stringify(change.to) : null,
      changed_at: change.at,
    })
    .execute();
}

const rateChangesOfProgram = prepared<{ programId: string }, Selectable<RateChangesTable>>(['programId'], (db, v) =>
  db.selectFrom('rate_changes').selectAll().where('program_id', '=', v.programId).orderBy('changed_at').orderBy('id'),
);

/** Every rate change of a program, its default rate's and its creators' own, oldest first. */
export async function rateChangesOf(db: DbOrTx, programId: string): Promise<RateChange[]> {
  const rows = await rateChangesOfProgram.run(db, { programId });
  return rows.map((r) => ({
    enrollmentId: r.enrollment_id,
    from: r.old_rate ? (JSON.parse(r.old_rate) as Rate) : null,
    to: r.new_rate ? (JSON.parse(r.new_rate) as Rate) : null,
    at: r.changed_at,
  }));
}

/** Of a program's rate changes, those of its default rate and of one enrollment's rate made after `since`. */
export function changesSince(all: readonly RateChange[], enrollmentId: string | null, since: string): RateChange[] {
  return all.filter((c) => c.at > since && (c.enrollmentId === null || c.enrollmentId === enrollmentId));
}
