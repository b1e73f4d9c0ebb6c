import { DAY_MS } from './time.js';

const names = new Map<number, string>();

/**
 * The UTC day (`YYYY-MM-DD`) of a time in milliseconds. Formatting a date costs more than a
 * whole indexed lookup on some machines, and the fraud checks name dozens of days per sale (a
 * code's baseline), nearly always the same ones: each day is formatted once and remembered.
 */
export function utcDay(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let name = names.get(day);
  if (name === undefined) {
    name = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (names.size >= 10_000) names.clear();
    names.set(day, name);
  }
  return name;
}
