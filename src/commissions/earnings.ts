/**
 * The ledger's running sum of what each creator has earned in each program (`creator_earnings`),
 * kept as positive entries are written (ledger.ts): a creator's balance is a sum of entries, and
 * entries that would take it past 2^53 − 1 are refused, so every balance is counted exactly.
 */
import type { DbOrTx } from '../db/database.js';
import { AppError } from '../shared/errors.js';
import { MAX_AMOUNT } from '../shared/money.js';
import { type CommissionRow, writeEarned } from './repository.js';

const MAX = BigInt(MAX_AMOUNT);

/**
 * Keeps each creator's running sum of positive entries per program, and refuses (rolling the
 * caller's transaction back) entries that would take it out of the exact range of amounts: a
 * balance is a sum of entries, and a sum beyond 2^53 could no longer be counted to the unit.
 */
export async function addToEarnings(tx: DbOrTx, rows: readonly CommissionRow[]): Promise<void> {
  const adding = new Map<string, { programId: string; creatorId: string; amount: number }>();
  for (const r of rows) {
    if (r.amount <= 0) continue;
    const key = `${r.program_id}\u0000${r.creator_id}`;
    const sum = adding.get(key);
    if (sum) sum.amount += r.amount;
    else adding.set(key, { programId: r.program_id, creatorId: r.creator_id, amount: r.amount });
  }
  for (const a of adding.values()) {
    // Entries of one sale add up within the exact range: the sale's own totals were checked.
    if (!Number.isSafeInteger(a.amount) || (await writeEarned(tx, a.programId, a.creatorId, a.amount)) > MAX) {
      throw new AppError(
        'AMOUNT_OUT_OF_RANGE',
        `This would take the creator's commissions in the program beyond ${MAX_AMOUNT} minor units, past what balances are kept to exactly`,
      );
    }
  }
}
