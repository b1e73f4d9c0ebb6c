import { describe, expect, it, vi } from 'vitest';
import { isId, newId } from './ids.js';

describe('newId', () => {
  it('writes the time as a ULID does, in lowercase Crockford base 32', async () => {
    // The ULID specification's example: 1469918176385 ms is 01ARYZ6S41. The first id of a fresh
    // copy of the module: ids made before (by other tests) continue from a later time.
    vi.resetModules();
    const fresh = await import('./ids.js');
    expect(fresh.newId('click', 1469918176385).slice(4, 14)).toBe('01aryz6s41');
  });

  it('makes valid ids that increase strictly within a millisecond, across milliseconds and when the clock goes back', () => {
    const ids: string[] = [];
    const start = 1_800_000_000_000;
    for (let ms = start; ms < start + 3; ms++) for (let i = 0; i < 500; i++) ids.push(newId('click', ms));
    ids.push(newId('click', start - 5_000));
    for (const id of ids) expect(isId('click', id)).toBe(true);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });
});
