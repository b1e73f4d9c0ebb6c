import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utcDay } from './days.js';

describe('utcDay', () => {
  it('is the day of toISOString, remembered or not', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        const expected = new Date(ms).toISOString().slice(0, 10);
        expect(utcDay(ms)).toBe(expected);
        expect(utcDay(ms)).toBe(expected);
      }),
    );
    expect(utcDay(Date.parse('2026-12-03T23:59:59.999Z'))).toBe('2026-12-03');
    expect(utcDay(Date.parse('2026-12-04T00:00:00.000Z'))).toBe('2026-12-04');
    expect(utcDay(-1)).toBe('1969-12-31');
  });
});
