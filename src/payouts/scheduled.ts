import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { trustedScope } from '../shared/principal.js';
import type { PayoutRunsService } from './runs.js';
import { scheduledRunDue } from './schedule.js';

export interface ScheduledOutcome {
  programId: string;
  runId: string | null;
  payouts: number;
  error?: string;
}

/**
 * Runs the payouts of every program whose weekly or monthly moment has passed since its last
 * scheduled run, paying what was approved up to that moment. Each program's turn is claimed
 * with a conditional update first, so several instances (or the server and the command line)
 * never run one program's schedule twice; a run that fails gives its claim back.
 */
export async function runDuePayouts({
  db,
  clock,
  runs,
  trigger = 'schedule',
}: {
  db: Db;
  clock: Clock;
  runs: PayoutRunsService;
  trigger?: 'schedule' | 'cli';
}): Promise<ScheduledOutcome[]> {
  const now = clock.now();
  const candidates = await db
    .selectFrom('payout_settings as s')
    .innerJoin('programs as p', 'p.id', 's.program_id')
    .select(['s.program_id', 's.schedule', 's.schedule_day', 's.last_scheduled_at', 'p.workspace_id'])
    .where('s.schedule', '!=', 'manual')
    .where('p.status', '=', 'active')
    .execute();
  const outcomes: ScheduledOutcome[] = [];
  for (const c of candidates) {
    const due = scheduledRunDue(c.schedule, c.schedule_day, c.last_scheduled_at, now);
    if (!due) continue;
    const claim = await db
      .updateTable('payout_settings')
      .set({ last_scheduled_at: due.toISOString() })
      .where('program_id', '=', c.program_id)
      .where((eb) =>
        c.last_scheduled_at === null
          ? eb('last_scheduled_at', 'is', null)
          : eb('last_scheduled_at', '=', c.last_scheduled_at),
      )
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) continue;
    try {
      const result = await runs.run(
        trustedScope(c.workspace_id),
        c.program_id,
        { cutoff: due.toISOString() },
        { trigger, actor: trigger === 'cli' ? 'command line' : 'scheduler', withCommissionIds: false },
      );
      outcomes.push({ programId: c.program_id, runId: result.run.id, payouts: result.data.length });
    } catch (err) {
      await db
        .updateTable('payout_settings')
        .set({ last_scheduled_at: c.last_scheduled_at })
        .where('program_id', '=', c.program_id)
        .where('last_scheduled_at', '=', due.toISOString())
        .execute();
      outcomes.push({ programId: c.program_id, runId: null, payouts: 0, error: (err as Error).message });
    }
  }
  return outcomes;
}
