/**
 * When scheduled payout runs fall, pure. A weekly schedule runs on an ISO weekday (1 Monday … 7
 * Sunday), a monthly one on a day of the month (1–28, so that every month has it), each at
 * 00:00 UTC; the run pays what was approved up to that moment.
 */
export type Schedule = 'manual' | 'weekly' | 'monthly';

const DAY = 86_400_000;

function midnight(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/** The latest scheduled moment at or before `now`, or undefined for a manual schedule. */
export function lastScheduledRun(schedule: Schedule, day: number | null, now: Date): Date | undefined {
  if (schedule === 'manual') return undefined;
  const today = midnight(now);
  if (schedule === 'weekly') {
    const weekday = ((today.getUTCDay() + 6) % 7) + 1;
    const back = (weekday - (day ?? 1) + 7) % 7;
    return new Date(today.getTime() - back * DAY);
  }
  const d = day ?? 1;
  const thisMonth = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), d));
  return thisMonth.getTime() <= now.getTime()
    ? thisMonth
    : new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, d));
}

/** The next scheduled moment after `now`, or undefined for a manual schedule. */
export function nextScheduledRun(schedule: Schedule, day: number | null, now: Date): Date | undefined {
  const last = lastScheduledRun(schedule, day, now);
  if (!last) return undefined;
  if (schedule === 'weekly') return new Date(last.getTime() + 7 * DAY);
  return new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, last.getUTCDate()));
}

/** Whether a run is due: a scheduled moment has passed since the last scheduled run. */
export function scheduledRunDue(
  schedule: Schedule,
  day: number | null,
  lastRunAt: string | null,
  now: Date,
): Date | undefined {
  const last = lastScheduledRun(schedule, day, now);
  if (!last) return undefined;
  if (lastRunAt && new Date(lastRunAt).getTime() >= last.getTime()) return undefined;
  return last;
}
