import { describe, expect, it } from 'vitest';
import { ProgramCache } from './cache.js';

const counting = () => {
  let loads = 0;
  return {
    load: <T>(value: T) => {
      loads++;
      return Promise.resolve(value);
    },
    get loads() {
      return loads;
    },
  };
};

describe('ProgramCache', () => {
  it('keeps a value until its program changes', async () => {
    const cache = new ProgramCache();
    const c = counting();
    expect(await cache.get('prg_1', 'program', () => c.load('v1'))).toBe('v1');
    expect(await cache.get('prg_1', 'program', () => c.load('v2'))).toBe('v1');
    expect(c.loads).toBe(1);
    await cache.invalidate('prg_2');
    expect(await cache.get('prg_1', 'program', () => c.load('v2'))).toBe('v1');
    await cache.invalidate('prg_1');
    expect(await cache.get('prg_1', 'program', () => c.load('v2'))).toBe('v2');
    expect(c.loads).toBe(2);
  });

  it('keeps null (known to be absent) but never undefined', async () => {
    const cache = new ProgramCache();
    const c = counting();
    await cache.get('prg_1', 'product:socks', () => c.load(null));
    expect(await cache.get('prg_1', 'product:socks', () => c.load('found'))).toBeNull();
    await cache.get('prg_1', 'program', () => c.load(undefined));
    expect(await cache.get('prg_1', 'program', () => c.load('found'))).toBe('found');
    expect(c.loads).toBe(3);
  });

  it('does not keep what a load read while a change was announced', async () => {
    const cache = new ProgramCache();
    let release: (value: string) => void = () => {};
    const slow = cache.get('prg_1', 'program', () => new Promise<string>((r) => (release = r)));
    await cache.invalidate('prg_1'); // the change commits while the read is under way
    release('read before the change');
    expect(await slow).toBe('read before the change');
    expect(await cache.get('prg_1', 'program', () => Promise.resolve('after'))).toBe('after');

    // The same for values read several at once.
    let releaseEach: (value: Map<string, string>) => void = () => {};
    const slowEach = cache.getEach(
      'prg_1',
      'product:',
      ['a', 'b'],
      () => new Promise<Map<string, string>>((r) => (releaseEach = r)),
    );
    await cache.invalidate('prg_1');
    releaseEach(new Map([['a', 'stale']]));
    expect(await slowEach).toEqual(
      new Map([
        ['a', 'stale'],
        ['b', null],
      ]),
    );
    expect(cache.peek('prg_1', ['product:a', 'product:b']).size).toBe(0);
  });

  it('reads only the keys it does not keep, and keeps null for a key the read did not find', async () => {
    const cache = new ProgramCache();
    const asked: string[][] = [];
    const load = (missing: string[]) => {
      asked.push(missing);
      return Promise.resolve(new Map(missing.filter((k) => k !== 'none').map((k) => [k, `row ${k}`])));
    };
    expect(await cache.getEach('prg_1', 'product:', ['a', 'none'], load)).toEqual(
      new Map([
        ['a', 'row a'],
        ['none', null],
      ]),
    );
    expect(await cache.getEach('prg_1', 'product:', ['a', 'none', 'b'], load)).toEqual(
      new Map([
        ['a', 'row a'],
        ['none', null],
        ['b', 'row b'],
      ]),
    );
    expect(asked).toEqual([['a', 'none'], ['b']]);
    expect(await cache.getEach('prg_1', 'product:', ['b'], load)).toEqual(new Map([['b', 'row b']]));
    expect(asked).toHaveLength(2);
  });

  it('drops an entry after its time to live, even with no change announced', async () => {
    let now = 1_000;
    const cache = new ProgramCache({ ttlMs: 100, now: () => now });
    const c = counting();
    await cache.get('prg_1', 'program', () => c.load('v1'));
    now += 99;
    expect(await cache.get('prg_1', 'program', () => c.load('v2'))).toBe('v1');
    now += 1;
    expect(cache.peek('prg_1', ['program']).size).toBe(0);
    expect(await cache.get('prg_1', 'program', () => c.load('v2'))).toBe('v2');
  });

  it('holds at most so many programs, and so many values per program', async () => {
    const cache = new ProgramCache({ maxPrograms: 2, maxValuesPerProgram: 3 });
    for (const id of ['prg_1', 'prg_2', 'prg_3']) await cache.get(id, 'program', () => Promise.resolve(id));
    expect(cache.size).toBe(2);
    expect(cache.peek('prg_1', ['program']).size).toBe(0);
    for (const key of ['a', 'b']) await cache.get('prg_3', key, () => Promise.resolve(key));
    expect(cache.peek('prg_3', ['program', 'a', 'b']).size).toBe(3);
    await cache.get('prg_3', 'c', () => Promise.resolve('c')); // the fourth starts the program over
    expect([...cache.peek('prg_3', ['program', 'a', 'b', 'c']).keys()]).toEqual(['c']);
    expect(cache.valueCount).toBe(2); // prg_2's program and prg_3's c
  });

  it('holds at most so many values in all, dropping the programs kept longest', async () => {
    const cache = new ProgramCache({ maxValues: 4 });
    for (const id of ['prg_1', 'prg_2']) {
      for (const key of ['program', 'fraud']) await cache.get(id, key, () => Promise.resolve(`${id} ${key}`));
    }
    expect(cache.valueCount).toBe(4);
    await cache.get('prg_3', 'program', () => Promise.resolve('prg_3 program'));
    expect(cache.peek('prg_1', ['program', 'fraud']).size).toBe(0);
    expect(cache.peek('prg_2', ['program', 'fraud']).size).toBe(2);
    expect(cache.valueCount).toBe(3);
    await cache.invalidate('prg_2');
    expect(cache.valueCount).toBe(1);
  });

  it('never drops the program it is filling to make room, even when that program came first', async () => {
    const cache = new ProgramCache({ maxValues: 3 });
    await cache.get('prg_1', 'program', () => Promise.resolve('one'));
    await cache.get('prg_2', 'program', () => Promise.resolve('two'));
    await cache.get('prg_2', 'fraud', () => Promise.resolve('two fraud'));
    await cache.get('prg_1', 'fraud', () => Promise.resolve('one fraud')); // prg_1 is the oldest entry
    expect(cache.peek('prg_1', ['program', 'fraud'])).toEqual(
      new Map([
        ['program', 'one'],
        ['fraud', 'one fraud'],
      ]),
    );
    expect(cache.peek('prg_2', ['program', 'fraud']).size).toBe(0);
    expect(cache.valueCount).toBe(2);
  });

  it('drops its own entry and does not fail when a change cannot be announced', async () => {
    const failures: unknown[] = [];
    const publisher = { publish: () => Promise.reject(new Error('Redis is gone')) };
    const cache = new ProgramCache({
      publisher: publisher as never,
      onPublishError: (err) => failures.push(err),
    });
    await cache.get('prg_1', 'program', () => Promise.resolve('v1'));
    await expect(cache.invalidate('prg_1')).resolves.toBeUndefined();
    expect(cache.peek('prg_1', ['program']).size).toBe(0);
    expect(failures).toHaveLength(1);
  });
});
