/** The operator's exchange rates: `1 unit of from_currency is rate units of to_currency`. */
import type { Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import type { ExchangeRatesTable } from '../db/schema.js';

export type ExchangeRateRow = Selectable<ExchangeRatesTable>;

/** The rate a sale in another currency than its program's is converted with (compiled once). */
export const exchangeRateOf = prepared<{ from: string; to: string }, { rate: string }>(['from', 'to'], (db, v) =>
  db.selectFrom('exchange_rates').select('rate').where('from_currency', '=', v.from).where('to_currency', '=', v.to),
);

/** Sets (or replaces) the rate from one currency to another. */
export async function putExchangeRate(db: DbOrTx, row: ExchangeRateRow): Promise<void> {
  await db
    .insertInto('exchange_rates')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['from_currency', 'to_currency']).doUpdateSet({ rate: row.rate, updated_at: row.updated_at }),
    )
    .execute();
}

export async function listExchangeRates(db: DbOrTx): Promise<ExchangeRateRow[]> {
  return db.selectFrom('exchange_rates').selectAll().orderBy('from_currency').orderBy('to_currency').execute();
}
