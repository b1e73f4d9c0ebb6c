import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvCell } from './events.js';

describe('csvCell', () => {
  it('writes cells that a CSV reader parses back to the same text', () => {
    const values = ['plain', 'a, b', 'say "hi"', 'two\nlines', 'cr\rhere', '', 42, 0];
    const line = `${values.map(csvCell).join(',')}\n`;
    expect(parse(line, { relax_column_count: false })).toEqual([values.map(String)]);
  });

  it('leaves null empty', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
});
