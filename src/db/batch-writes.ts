import type { DbOrTx } from './database.js';

/**
 * Writes that a group-commit transaction makes once for all its units of work, just before it
 * commits: additive rows (a rollup's counts) that many units touch alike, such as the sales of
 * one creator in one hour. Each unit's items are kept apart until the unit succeeds, so a unit
 * rolled back to its savepoint takes its items with it; those of the units kept are written, by
 * their flush function, in the same transaction as the units themselves, so nothing read after
 * the commit is behind.
 */
export type Flush<T> = (tx: DbOrTx, items: T[]) => Promise<void>;

interface Batch {
  unit: Map<Flush<unknown>, unknown[]>;
  kept: Map<Flush<unknown>, unknown[]>;
}

const batches = new WeakMap<object, Batch>();

function add(into: Map<Flush<unknown>, unknown[]>, flush: Flush<unknown>, items: readonly unknown[]): void {
  const list = into.get(flush);
  if (list) for (const item of items) list.push(item);
  else into.set(flush, [...items]);
}

/**
 * Leaves `items` to be written by `flush` once before `tx` commits, when `tx` is a group-commit
 * transaction; answers false otherwise, and the caller writes them itself.
 */
export function deferToCommit<T>(tx: DbOrTx, flush: Flush<T>, items: readonly T[]): boolean {
  const batch = batches.get(tx);
  if (!batch) return false;
  add(batch.unit, flush as Flush<unknown>, items);
  return true;
}

/** The group commit's side: a batch for `tx`, each unit begun and ended, and the writes made. */
export const batchWrites = {
  open(tx: DbOrTx): void {
    batches.set(tx, { unit: new Map(), kept: new Map() });
  },
  unitKept(tx: DbOrTx): void {
    const batch = batches.get(tx);
    if (!batch) return;
    for (const [flush, items] of batch.unit) add(batch.kept, flush, items);
    batch.unit.clear();
  },
  unitDropped(tx: DbOrTx): void {
    batches.get(tx)?.unit.clear();
  },
  async flush(tx: DbOrTx): Promise<void> {
    const batch = batches.get(tx);
    batches.delete(tx);
    if (!batch) return;
    for (const [flush, items] of batch.kept) await flush(tx, items);
  },
  discard(tx: DbOrTx): void {
    batches.delete(tx);
  },
};
