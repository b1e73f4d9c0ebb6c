import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDirect, whileOpen } from '../../src/db/direct.js';
import { sql } from '../../src/db/kysely.js';
import { inGroupsOf, prepared } from '../../src/db/prepared.js';
import { insertRows } from '../../src/db/statements.js';
import { createTestDatabase, dialect, type TestDatabase } from '../helpers/database.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await sql`create table prep_items (id text primary key, grp text not null, n integer not null, note text)`.execute(
    t.handle.db,
  );
  for (let i = 0; i < 10; i++) {
    await sql`insert into prep_items (id, grp, n, note) values (${`i${i}`}, ${i % 2 ? 'odd' : 'even'}, ${i}, ${
      i === 3 ? null : `note ${i}`
    })`.execute(t.handle.db);
  }
});
afterAll(async () => {
  await t?.drop();
});

// The helper is typed for the application's tables; this test's own table is reached by a cast.
// biome-ignore lint/suspicious/noExplicitAny: a table made by this test only
type Any = any;

/** Thrown to end a transaction with a roll-back, carrying what was seen inside it. */
class RollBack extends Error {
  constructor(
    readonly seen: unknown,
    readonly viaPrepared: unknown,
  ) {
    super('roll back');
  }
}

describe('prepared queries', () => {
  const byGroup = prepared<{ grp: string; min: number }, { id: string; n: number }>(['grp', 'min'], (db, v) =>
    (db as Any)
      .selectFrom('prep_items')
      .select(['id', 'n'])
      .where('grp', '=', v.grp)
      .where('n', '>=', v.min)
      .where('note', 'is not', null)
      .orderBy('n')
      .limit(3),
  );

  it('answers exactly what the same builder query answers, for any values', async () => {
    const db = t.handle.db as Any;
    for (const [grp, min] of [
      ['odd', 0],
      ['odd', 4],
      ['even', 5],
      ['none', 0],
    ] as const) {
      const direct = await db
        .selectFrom('prep_items')
        .select(['id', 'n'])
        .where('grp', '=', grp)
        .where('n', '>=', min)
        .where('note', 'is not', null)
        .orderBy('n')
        .limit(3)
        .execute();
      const rows = await byGroup.run(t.handle.db, { grp, min });
      expect(rows.map((r) => [r.id, Number(r.n)])).toEqual(
        direct.map((r: { id: string; n: number }) => [r.id, Number(r.n)]),
      );
    }
    expect((await byGroup.first(t.handle.db, { grp: 'odd', min: 0 }))?.id).toBe('i1'); // i3 has no note
    expect(await byGroup.first(t.handle.db, { grp: 'none', min: 0 })).toBeUndefined();
  });

  it('runs inside a transaction and sees its uncommitted rows', async () => {
    const tx = await t.handle.db.startTransaction().execute();
    let inside: string[];
    try {
      await sql`insert into prep_items (id, grp, n, note) values ('t1', 'temp', 1, 'x')`.execute(tx);
      inside = (await byGroup.run(tx, { grp: 'temp', min: 0 })).map((r) => r.id);
    } finally {
      await tx.rollback().execute();
    }
    expect(inside).toEqual(['t1']);
    expect(await byGroup.run(t.handle.db, { grp: 'temp', min: 0 })).toEqual([]);
  });

  it('runs straight on the SQLite connection inside an open transaction only, and the same either way', async () => {
    const text = 'select id from prep_items where grp = ? and n >= ? order by n';
    expect(runDirect(t.handle.db, text, ['odd', 0])).toBeUndefined(); // outside a transaction: through Kysely
    let ended: Parameters<typeof runDirect>[0] | undefined;
    const inside = await t.handle.db
      .transaction()
      .execute(async (tx) => {
        expect(runDirect(tx, text, ['odd', 0])).toBeUndefined(); // a transaction not opened for it
        ended = tx;
        return whileOpen(tx, async () => {
          await insertRows(tx, 'prep_items' as Any, [{ id: 't2', grp: 'temp2', n: 2, note: null } as Any]);
          const seen = runDirect(tx, text, ['temp2', 0]);
          const viaPrepared = await byGroup.run(tx, { grp: 'temp2', min: 0 });
          throw new RollBack(seen, viaPrepared);
        });
      })
      .catch((err: unknown) => {
        // Only the deliberate roll-back is expected here: anything else fails the test.
        if (err instanceof RollBack) return err;
        throw err;
      });
    // Once its work has ended, the transaction is never used directly: Kysely refuses it.
    expect(ended && runDirect(ended, text, ['odd', 0])).toBeUndefined();
    await expect(byGroup.run(ended as never, { grp: 'odd', min: 0 })).rejects.toThrow(
      /already (committed|rolled back)/,
    );
    if (dialect === 'sqlite') {
      expect(inside.seen).toEqual([{ id: 't2' }]);
    } else {
      expect(inside.seen).toBeUndefined();
    }
    expect(inside.viaPrepared).toEqual([]); // t2 has no note
    // Rolled back with its transaction, whichever way it was written.
    expect(await sql`select id from prep_items where grp = 'temp2'`.execute(t.handle.db)).toMatchObject({ rows: [] });
  });

  it('refuses a value that does not reach the statement as a parameter of its own', async () => {
    const changed = prepared<{ grp: string }, { id: string }>(['grp'], (db, v) =>
      (db as Any).selectFrom('prep_items').select('id').where('grp', '=', `${v.grp}-x`),
    );
    await expect(changed.run(t.handle.db, { grp: 'odd' })).rejects.toThrow(/changed on its way/);
    const unused = prepared<{ grp: string; n: number }, { id: string }>(['grp', 'n'], (db, v) =>
      (db as Any).selectFrom('prep_items').select('id').where('grp', '=', v.grp),
    );
    await expect(unused.run(t.handle.db, { grp: 'odd', n: 1 })).rejects.toThrow(/value n is not a parameter/);
  });

  it('cuts a list into full groups for a prepared `in`, filling the last with its last value', () => {
    expect(inGroupsOf([], 4)).toEqual([]);
    expect(inGroupsOf(['a'], 4)).toEqual([['a', 'a', 'a', 'a']]);
    expect(inGroupsOf(['a', 'b', 'c', 'd'], 4)).toEqual([['a', 'b', 'c', 'd']]);
    expect(inGroupsOf(['a', 'b', 'c', 'd', 'e', 'f'], 4)).toEqual([
      ['a', 'b', 'c', 'd'],
      ['e', 'f', 'f', 'f'],
    ]);
  });
});
