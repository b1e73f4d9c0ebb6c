import { AppError } from '../shared/errors.js';
import { MAX_AMOUNT } from '../shared/money.js';

/**
 * Amounts are added as numbers, exact only up to 2^53 − 1: a sale whose total (as sold, or in
 * the program's currency) would leave that range is refused before anything is written. (A
 * creator's balance is kept in range by the ledger, which refuses entries that would leave it.)
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
