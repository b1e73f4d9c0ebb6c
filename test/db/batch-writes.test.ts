import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deferToCommit, type Flush } from '../../src/db/batch-writes.js';
import { GroupCommit } from '../../src/db/group-commit.js';
import { sql } from '../../src/db/kysely.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// Writes a group commit makes once for its batch (the analytics rollups), kept or dropped with
// the unit that asked for them.
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await sql`create table bw_counts (k text primary key, n integer not null)`.execute(t.handle.db);
});
afterAll(async () => {
  await t?.drop();
});

interface Add {
  k: string;
  n: number;
}
const flushes: Add[][] = [];
const addUp: Flush<Add> = async (tx, items) => {
  flushes.push(items);
  const sums = new Map<string, number>();
  for (const i of items) sums.set(i.k, (sums.get(i.k) ?? 0) + i.n);
  for (const [k, n] of sums) {
    await sql`insert into bw_counts (k, n) values (${k}, ${n}) on conflict (k) do update set n = bw_counts.n + excluded.n`.execute(
      tx,
    );
  }
};
const countOf = async (k: string) =>
  (await sql<{ n: number }>`select n from bw_counts where k = ${k}`.execute(t.handle.db)).rows[0]?.n;

describe('writes deferred to a group commit', () => {
  it('are written once for the batch, with the items of the units kept and none of a unit rolled back', async () => {
    const group = new GroupCommit(t.handle.db);
    flushes.length = 0;
    const results = await Promise.allSettled(
      [1, 2, 3, 4].map((i) =>
        group.run(async (tx) => {
          expect(deferToCommit(tx, addUp, [{ k: 'a', n: i }])).toBe(true);
          if (i === 3) throw new Error('refused');
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(flushes).toEqual([
      [
        { k: 'a', n: 1 },
        { k: 'a', n: 2 },
        { k: 'a', n: 4 },
      ],
    ]);
    expect(await countOf('a')).toBe(7);
  });

  it('fail the whole batch, writing nothing, when their flush fails', async () => {
    const group = new GroupCommit(t.handle.db);
    const failing: Flush<Add> = async () => {
      throw new Error('flush failed');
    };
    const results = await Promise.allSettled(
      [1, 2].map((i) =>
        group.run(async (tx) => {
          await sql`insert into bw_counts (k, n) values (${`b${i}`}, ${i})`.execute(tx);
          deferToCommit(tx, failing, [{ k: 'b', n: i }]);
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect([await countOf('b1'), await countOf('b2')]).toEqual([undefined, undefined]);
  });

  it('are not deferred outside a group commit: the caller writes them', async () => {
    const deferred = await t.handle.db
      .transaction()
      .execute(async (tx) => deferToCommit(tx, addUp, [{ k: 'c', n: 1 }]));
    expect(deferred).toBe(false);
  });
});
