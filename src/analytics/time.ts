/**
 * Calendar arithmetic in a time zone: where a zone's days, weeks (from Monday) and months begin,
 * with daylight saving time. Pure; the zone's rules come from the runtime's ICU data.
 */

export type TimeBucket = 'hour' | 'day' | 'week' | 'month';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock time in a zone at an instant. */
export function wallTime(ms: number, timeZone: string): Wall {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (Helsinki in winter: +2 h). */
export function offsetMs(ms: number, timeZone: string): number {
  const w = wallTime(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant a local wall time occurs at (the later one in a gap, the earlier in an overlap). */
function instantOf(year: number, month: number, day: number, hour: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour);
  let t = guess - offsetMs(guess, timeZone);
  const second = guess - offsetMs(t, timeZone);
  if (second !== t) t = Math.min(t, second);
  return t;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Where a local day (`YYYY-MM-DD`) begins. */
export function startOfDay(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return instantOf(y, m, d, 0, timeZone);
}

/** The day after a `YYYY-MM-DD` day. */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + DAY_MS).toISOString().slice(0, 10);
}

/** A bucket's key for an instant: the local date of its first day, its month, or its hour's start. */
export function bucketKey(ms: number, bucket: TimeBucket, timeZone: string): string {
  if (bucket === 'hour') {
    const w = wallTime(ms, timeZone);
    return new Date(ms - (w.minute * 60 + w.second) * 1000 - (ms % 1000)).toISOString();
  }
  const w = wallTime(ms, timeZone);
  if (bucket === 'month') return `${pad(w.year, 4)}-${pad(w.month)}`;
  if (bucket === 'day') return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
  // ISO weeks begin on Monday.
  const date = Date.UTC(w.year, w.month - 1, w.day);
  const weekday = (new Date(date).getUTCDay() + 6) % 7;
  return new Date(date - weekday * DAY_MS).toISOString().slice(0, 10);
}

/** Where the bucket named by a key begins. */
export function bucketStart(key: string, bucket: TimeBucket, timeZone: string): number {
  if (bucket === 'hour') return Date.parse(key);
  if (bucket === 'month') return startOfDay(`${key}-01`, timeZone);
  return startOfDay(key, timeZone);
}

/** The key of the bucket after one. */
export function nextBucket(key: string, bucket: TimeBucket): string {
  if (bucket === 'hour') return new Date(Date.parse(key) + HOUR_MS).toISOString();
  if (bucket === 'day') return nextDay(key);
  if (bucket === 'week') {
    let d = key;
    for (let i = 0; i < 7; i++) d = nextDay(d);
    return d;
  }
  const [y, m] = key.split('-').map(Number) as [number, number];
  return m === 12 ? `${pad(y + 1, 4)}-01` : `${pad(y, 4)}-${pad(m + 1)}`;
}

/**
 * Every bucket that meets the range [from, to), in order: a time series shows each one, with
 * zeros where nothing happened. Each bucket begins where its zone's calendar says, so a day of a
 * daylight-saving change has 23 or 25 hours.
 */
export function bucketsOf(from: number, to: number, bucket: TimeBucket, timeZone: string): string[] {
  const keys: string[] = [];
  let key = bucketKey(from, bucket, timeZone);
  while (bucketStart(key, bucket, timeZone) < to) {
    keys.push(key);
    key = nextBucket(key, bucket);
    // An hour repeated or skipped by a daylight-saving change keeps its own key.
    if (bucket === 'hour') key = bucketKey(Date.parse(key), bucket, timeZone);
  }
  return keys;
}
