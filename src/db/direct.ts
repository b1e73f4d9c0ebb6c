import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { cachingStatements } from './sqlite.js';

/** A SQLite connection as the application opens it: prepared statements kept by their text. */
type Statements = ReturnType<typeof cachingStatements>;

/** The database or a transaction on it (database.ts's `DbOrTx`, spelled out: database.ts imports this file). */
type Handle = Kysely<Database> | Transaction<Database>;

// The connection of each SQLite database, found by the Kysely adapter its transactions share.
const connections = new WeakMap<object, Statements>();
// The transactions that hold their connection now: added when one begins, removed when it ends.
const open = new WeakSet<object>();

/** Lets the hot paths of a SQLite database run their statements straight on its connection. */
export function allowDirect(db: Kysely<Database>, statements: Statements): void {
  connections.set(db.getExecutor().adapter, statements);
}

/**
 * Runs `work` in a transaction that lets `runDirect` use its connection until the work ends.
 * Only a transaction opened this way qualifies, so a statement given a transaction after it ended
 * goes through Kysely, which refuses it, instead of running in whatever holds the connection then.
 */
export async function whileOpen<T>(tx: Handle, work: () => Promise<T>): Promise<T> {
  open.add(tx);
  try {
    return await work();
  } finally {
    open.delete(tx);
  }
}

/**
 * Runs a compiled statement straight on the SQLite connection when `db` is an open transaction
 * (`whileOpen`) of a SQLite database, and answers its rows; answers `undefined` otherwise
 * (PostgreSQL, outside such a transaction), and the caller goes through Kysely. A transaction
 * holds its connection until it ends, so the statement runs inside that transaction exactly as
 * Kysely would run it — the same prepared statement, the same parameters, the same errors —
 * without the executor's round of promises and plugins, which costs several times what SQLite
 * takes for a small lookup.
 */
export function runDirect(db: Handle, sql: string, parameters: readonly unknown[]): unknown[] | undefined {
  if (!open.has(db)) return undefined;
  const statements = connections.get(db.getExecutor().adapter);
  if (!statements) return undefined;
  const statement = statements.prepare(sql);
  if (statement.reader) return statement.all(parameters);
  statement.run(parameters);
  return [];
}
