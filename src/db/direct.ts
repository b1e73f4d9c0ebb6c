import type { Kysely } from 'kysely';
import type { DbOrTx } from '../accounts/repository.js';
import type { Database } from './schema.js';

/** What a SQLite connection offers here: a prepared statement for a text (`cachingStatements`). */
interface Statements {
  prepare(sql: string): {
    reader: boolean;
    all(parameters: readonly unknown[]): unknown[];
    run(parameters: readonly unknown[]): unknown;
  };
}

// The connection of each SQLite database, found by the Kysely adapter its transactions share.
const connections = new WeakMap<object, Statements>();

/** Lets the hot paths of a SQLite database run their statements straight on its connection. */
export function allowDirect(db: Kysely<Database>, statements: Statements): void {
  connections.set(db.getExecutor().adapter, statements);
}

/**
 * Runs a compiled statement straight on the SQLite connection when `db` is a transaction of a
 * SQLite database, and answers its rows; answers `undefined` otherwise (PostgreSQL, or outside a
 * transaction), and the caller goes through Kysely. A transaction holds its connection until it
 * ends, so the statement runs inside that transaction exactly as Kysely would run it — the same
 * prepared statement, the same parameters, the same errors — without the executor's round of
 * promises and plugins, which costs several times what SQLite takes for a small lookup.
 */
export function runDirect(db: DbOrTx, sql: string, parameters: readonly unknown[]): unknown[] | undefined {
  if (!db.isTransaction) return undefined;
  const statements = connections.get(db.getExecutor().adapter);
  if (!statements) return undefined;
  const statement = statements.prepare(sql);
  if (statement.reader) return statement.all(parameters);
  statement.run(parameters);
  return [];
}
