import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type SqliteDatabase from 'better-sqlite3';
import { StartupError } from '../shared/errors.js';

/** Opens a SQLite file with the settings every connection uses; better-sqlite3 is loaded on first use. */
export async function openSqlite(file: string): Promise<SqliteDatabase.Database> {
  const { default: SqliteDriver } = await import('better-sqlite3');
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  let conn: SqliteDatabase.Database;
  try {
    conn = new SqliteDriver(file);
  } catch (err) {
    throw new StartupError(`cannot open SQLite database ${file}: ${(err as Error).message}`);
  }
  conn.pragma('journal_mode = WAL');
  // In WAL mode, NORMAL keeps every committed transaction through a crash of the process.
  conn.pragma('synchronous = NORMAL');
  conn.pragma('foreign_keys = ON');
  conn.pragma('busy_timeout = 5000');
  return conn;
}
