import { earnedBy } from '../commissions/repository.js';
import type { DbOrTx } from '../db/database.js';
import { AppError } from '../shared/errors.js';
import { MAX_AMOUNT } from '../shared/money.js';

/**
 * Amounts are added as numbers, exact only up to 2^53 − 1: a sale whose total (as sold, or in
 * the program's currency) would leave that range is refused before anything is written.
 */
export function checkTotals(priced: { lines: { original: number; amount: number }[] }): void {
  const sum = (values: number[]) => values.reduce((s, v) => s + BigInt(v), 0n);
  const max = BigInt(MAX_AMOUNT);
  if (sum(priced.lines.map((l) => l.original)) > max || sum(priced.lines.map((l) => l.amount)) > max) {
    throw new AppError(
      'AMOUNT_OUT_OF_RANGE',
      `The sale's lines add up to more than ${MAX_AMOUNT} minor units, beyond what amounts are kept to exactly`,
      [{ path: 'lines', message: `the lines add up to more than ${MAX_AMOUNT}` }],
    );
  }
}

/**
 * A creator's balance is a sum of its entries: a sale whose commissions would take what the
 * creator has earned in the program out of the exact range is refused.
 */
export async function checkBalance(tx: DbOrTx, programId: string, creatorId: string, amounts: number[]): Promise<void> {
  const adding = amounts.reduce((s, a) => s + BigInt(Math.max(0, a)), 0n);
  if (adding === 0n) return;
  const earned = BigInt(await earnedBy(tx, creatorId, programId));
  if (earned + adding > BigInt(MAX_AMOUNT)) {
    throw new AppError(
      'AMOUNT_OUT_OF_RANGE',
      `This sale would take the creator's commissions in the program beyond ${MAX_AMOUNT} minor units, past what balances are kept to exactly`,
    );
  }
}
