import { batchWrites } from './batch-writes.js';
import type { Db, DbOrTx } from './database.js';
import { runDirect, whileOpen } from './direct.js';
import { CompiledQuery } from './kysely.js';

// Compiled once: they run twice for every unit of work.
const SAVEPOINT = CompiledQuery.raw('savepoint unit');
const RELEASE = CompiledQuery.raw('release unit');
const ROLLBACK = CompiledQuery.raw('rollback to unit');

/** Most units of work in one transaction; the rest wait for the next. */
const MAX_BATCH = 64;

interface Pending<T> {
  work: (tx: DbOrTx) => Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

/**
 * Group commit for SQLite, where one transaction at a time writes anyway: units of work that
 * arrive while a transaction is open wait, then run one after another in the next transaction,
 * each inside its own savepoint. A unit that fails is rolled back to its savepoint alone and its
 * caller gets the error; the others are kept. Every caller is answered only after the commit
 * that holds its writes, so nothing is reported done that a crash could still take away; a
 * failed commit fails every unit of the batch. What this saves is the transaction's own cost
 * (begin, the commit's WAL write), paid once per batch instead of once per delivery.
 */
export class GroupCommit {
  readonly #db: Db;
  #queue: Pending<unknown>[] = [];
  #running = false;

  constructor(db: Db) {
    this.#db = db;
  }

  run<T>(work: (tx: DbOrTx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve, reject } as Pending<unknown>);
      if (!this.#running) {
        // Started on the next turn of the event loop, so that the requests already read, whose
        // own queries wait for the connection, join this transaction instead of each opening one.
        this.#running = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, MAX_BATCH);
        const outcomes: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
        try {
          await this.#db.transaction().execute((tx) =>
            whileOpen(tx, async () => {
              batchWrites.open(tx);
              try {
                for (const unit of batch) {
                  if (!runDirect(tx, SAVEPOINT.sql, [])) await tx.executeQuery(SAVEPOINT);
                  try {
                    const value = await unit.work(tx);
                    if (!runDirect(tx, RELEASE.sql, [])) await tx.executeQuery(RELEASE);
                    batchWrites.unitKept(tx);
                    outcomes.push({ ok: true, value });
                  } catch (err) {
                    batchWrites.unitDropped(tx);
                    await tx.executeQuery(ROLLBACK);
                    await tx.executeQuery(RELEASE);
                    outcomes.push({ ok: false, err });
                  }
                }
                // What the kept units left to write once (their rollups), before the commit.
                await batchWrites.flush(tx);
              } finally {
                batchWrites.discard(tx);
              }
            }),
          );
        } catch (err) {
          for (const unit of batch) unit.reject(err);
          continue;
        }
        batch.forEach((unit, i) => {
          const o = outcomes[i];
          if (o?.ok) unit.resolve(o.value);
          else unit.reject(o?.err);
        });
      }
    } finally {
      this.#running = false;
    }
  }
}
