import { describe, expect, it } from 'vitest';
import { lastScheduledRun, nextScheduledRun, scheduledRunDue } from './schedule.js';

const at = (s: string) => new Date(s);

describe('scheduled payout runs', () => {
  it.each([
    ['weekly on Monday, on a Wednesday', 'weekly', 1, '2026-12-09T15:00:00Z', '2026-12-07T00:00:00.000Z'],
    ['weekly on Monday, on that Monday', 'weekly', 1, '2026-12-07T00:00:00Z', '2026-12-07T00:00:00.000Z'],
    ['weekly on Sunday, on a Saturday', 'weekly', 7, '2026-12-12T10:00:00Z', '2026-12-06T00:00:00.000Z'],
    ['monthly on the 15th, before it', 'monthly', 15, '2026-12-07T10:00:00Z', '2026-11-15T00:00:00.000Z'],
    ['monthly on the 1st, in January', 'monthly', 1, '2027-01-20T10:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['monthly on the 28th, early in January', 'monthly', 28, '2027-01-03T10:00:00Z', '2026-12-28T00:00:00.000Z'],
  ] as const)('%s: the last moment is %s', (_name, schedule, day, now, expected) => {
    expect(lastScheduledRun(schedule, day, at(now))?.toISOString()).toBe(expected);
  });

  it('has no moment for a manual schedule', () => {
    expect(lastScheduledRun('manual', null, at('2026-12-07T00:00:00Z'))).toBeUndefined();
  });

  it('names the next moment a week or a month on', () => {
    expect(nextScheduledRun('weekly', 3, at('2026-12-07T12:00:00Z'))?.toISOString()).toBe('2026-12-09T00:00:00.000Z');
    expect(nextScheduledRun('monthly', 1, at('2026-12-07T12:00:00Z'))?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('is due once its moment has passed since the last scheduled run, and not again', () => {
    const now = at('2026-12-07T08:00:00Z');
    expect(scheduledRunDue('weekly', 1, '2026-11-30T00:00:00.000Z', now)?.toISOString()).toBe(
      '2026-12-07T00:00:00.000Z',
    );
    expect(scheduledRunDue('weekly', 1, '2026-12-07T00:00:00.000Z', now)).toBeUndefined();
    expect(scheduledRunDue('monthly', 1, '2026-12-01T00:00:00.000Z', now)).toBeUndefined();
  });
});
