import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/db/group-commit.js';
import { sql } from '../../src/db/kysely.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await sql`create table gc_items (id text primary key, n integer not null)`.execute(t.handle.db);
});
afterAll(async () => {
  await t?.drop();
});

const count = async () =>
  Number((await sql<{ n: number | string }>`select count(*) as n from gc_items`.execute(t.handle.db)).rows[0]?.n);

describe('group commit', () => {
  it('runs units that arrive together in one transaction, each answered after the commit', async () => {
    const group = new GroupCommit(t.handle.db);
    const before = await count();
    const inserted = Array.from({ length: 20 }, (_, i) =>
      group.run(async (tx) => {
        await sql`insert into gc_items (id, n) values (${`a${i}`}, ${i})`.execute(tx);
        return i;
      }),
    );
    expect(await Promise.all(inserted)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(await count()).toBe(before + 20);
  });

  it('rolls back a failing unit alone and gives its caller the error', async () => {
    const group = new GroupCommit(t.handle.db);
    const before = await count();
    const results = await Promise.allSettled([
      group.run(async (tx) => sql`insert into gc_items (id, n) values ('b1', 1)`.execute(tx)),
      group.run(async (tx) => {
        await sql`insert into gc_items (id, n) values ('b2', 2)`.execute(tx);
        throw new Error('refused');
      }),
      // the same key again: a constraint error inside its own savepoint
      group.run(async (tx) => sql`insert into gc_items (id, n) values ('b1', 3)`.execute(tx)),
      group.run(async (tx) => sql`insert into gc_items (id, n) values ('b3', 4)`.execute(tx)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('refused');
    const ids = (await sql<{ id: string }>`select id from gc_items where id like 'b%'`.execute(t.handle.db)).rows.map(
      (r) => r.id,
    );
    expect(ids.sort()).toEqual(['b1', 'b3']);
    expect(await count()).toBe(before + 2);
  });

  it('takes more work after a batch ends', async () => {
    const group = new GroupCommit(t.handle.db);
    await group.run(async (tx) => sql`insert into gc_items (id, n) values ('c1', 1)`.execute(tx));
    await group.run(async (tx) => sql`insert into gc_items (id, n) values ('c2', 2)`.execute(tx));
    const c = (await sql<{ n: number }>`select n from gc_items where id = 'c2'`.execute(t.handle.db)).rows[0];
    expect(c?.n).toBe(2);
  });
});
