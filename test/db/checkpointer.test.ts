import { statSync } from 'node:fs';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Checkpointer } from '../../src/db/checkpointer.js';
import { openSqlite } from '../../src/db/sqlite.js';
import { createEmptyDatabase, dialect } from '../helpers/database.js';

// The thread runs compiled code: `npm test` builds dist/ first.
const script = new URL('../../dist/db/checkpoint-worker.js', import.meta.url);

let place: Awaited<ReturnType<typeof createEmptyDatabase>>;
let file: string;
beforeAll(async () => {
  place = await createEmptyDatabase();
  file = place.config.dialect === 'sqlite' ? place.config.file : '';
});
afterAll(async () => {
  await place?.drop();
});

const waitFor = async (done: () => boolean) => {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe.skipIf(dialect !== 'sqlite')('the checkpoint thread', () => {
  it('copies committed pages into the file behind the writer, and the log stays short', async () => {
    const conn = await openSqlite(file);
    conn.exec('create table ckpt_rows (id integer primary key, body text not null)');
    conn.pragma('wal_checkpoint(TRUNCATE)');
    const emptySize = statSync(file).size;
    const checkpointer = await Checkpointer.start(file, { intervalMs: 5, script });
    expect(checkpointer).toBeDefined();
    if (!checkpointer) return;

    const insert = conn.prepare('insert into ckpt_rows (id, body) values (?, ?)');
    const batch = conn.transaction((from: number) => {
      for (let i = from; i < from + 20; i++) insert.run(i, `row ${i} `.padEnd(400, 'x'));
    });
    // About 150 pages: far below the 1,000 at which the writing connection checkpoints itself,
    // so only the thread can have put these rows into the database file.
    for (let from = 0; from < 1_500; from += 20) batch.immediate(from);
    // The thread's report of a pass arrives as a message, after the file has grown: wait for both.
    await waitFor(() => statSync(file).size >= emptySize + 1_500 * 400 && checkpointer.stats.passes > 0);
    expect(statSync(file).size).toBeGreaterThanOrEqual(emptySize + 1_500 * 400);
    expect(checkpointer.stats.passes).toBeGreaterThan(0);

    // A long run of commits: SQLite's own checkpoint still comes due every 1,000 pages and starts
    // the log afresh, so the log never holds the 4,000 pages written. (A busy machine can delay
    // a fresh start by a few hundred pages: a reader, the thread's own pass, holds the old log.)
    let biggestLog = 0;
    const rows = 40_000;
    for (let from = 1_500; from < rows; from += 20) {
      batch.immediate(from);
      if (from % 200 === 0) {
        biggestLog = Math.max(biggestLog, statSync(`${file}-wal`).size);
        await yieldToEvents();
      }
    }
    const pageSize = conn.pragma('page_size', { simple: true }) as number;
    expect(biggestLog).toBeLessThan(2_500 * pageSize);
    expect(checkpointer.stats.errors).toBe(0);
    expect(conn.prepare('select count(*) as n from ckpt_rows').get()).toEqual({ n: rows });

    await checkpointer.stop();
    conn.close();
    const reopened = await openSqlite(file);
    expect(reopened.prepare('select count(*) as n, max(id) as top from ckpt_rows').get()).toEqual({
      n: rows,
      top: rows - 1,
    });
    expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
    reopened.close();
  });

  it('tells of a thread that stops by itself, and not of one that is stopped', async () => {
    const told: Error[] = [];
    const dying = await Checkpointer.start(file, {
      script: new URL('../fixtures/dying-checkpoint-worker.mjs', import.meta.url),
      onGone: (err) => told.push(err),
    });
    expect(dying).toBeDefined();
    await waitFor(() => told.length > 0);
    expect(told.map((e) => e.message)).toEqual(['the checkpoint thread stopped (exit code 4)']);
    await dying?.stop();
    expect(told).toHaveLength(1);

    const quiet: Error[] = [];
    const running = await Checkpointer.start(file, { script, onGone: (err) => quiet.push(err) });
    await running?.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(quiet).toEqual([]);
  });

  it("opens its connection with the server's SQLite sync setting", async () => {
    const normal = await Checkpointer.start(file, { script });
    const full = await Checkpointer.start(file, { script, synchronous: 'full' });
    try {
      expect(normal?.synchronous).toBe(1);
      expect(full?.synchronous).toBe(2);
    } finally {
      await normal?.stop();
      await full?.stop();
    }
  });

  it('is not started for a database in memory, or without the compiled thread', async () => {
    expect(await Checkpointer.start(':memory:', { script })).toBeUndefined();
    expect(
      await Checkpointer.start(file, { script: new URL('../../dist/db/no-such-thread.js', import.meta.url) }),
    ).toBeUndefined();
  });
});
