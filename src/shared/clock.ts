/** Time behind a small interface so that tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(start: Date): Clock & { advance(ms: number): void; set(d: Date): void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
    set(d: Date) {
      current = d.getTime();
    },
  };
}

/** Timestamps are stored as ISO 8601 UTC text with milliseconds, identical on both databases. */
export const toTimestamp = (d: Date): string => d.toISOString();
