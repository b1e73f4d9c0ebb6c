/** The exchange rates an operator maintains, with which sales in another currency are converted. */
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { type ExchangeRateRow, listExchangeRates, putExchangeRate } from './repository.js';

export interface ExchangeRate {
  from: string;
  to: string;
  rate: string;
  updatedAt: string;
}

const toExchangeRate = (r: ExchangeRateRow): ExchangeRate => ({
  from: r.from_currency,
  to: r.to_currency,
  rate: r.rate,
  updatedAt: r.updated_at,
});

export function exchangeRatesService({ db, clock }: { db: Db; clock: Clock }) {
  /** Sets the rate from one currency to another: 1 unit of `from` is `rate` units of `to`. */
  async function put(from: string, to: string, rate: string): Promise<ExchangeRate> {
    const row = { from_currency: from, to_currency: to, rate, updated_at: clock.now().toISOString() };
    await putExchangeRate(db, row);
    return toExchangeRate(row);
  }

  async function list(): Promise<ExchangeRate[]> {
    return (await listExchangeRates(db)).map(toExchangeRate);
  }

  return { put, list };
}

export type ExchangeRatesService = ReturnType<typeof exchangeRatesService>;
