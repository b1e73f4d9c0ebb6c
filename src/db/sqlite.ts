import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type SqliteDatabase from 'better-sqlite3';
import type { SqliteSync } from '../config/config.js';
import { StartupError } from '../shared/errors.js';

/** Opens a SQLite file with the settings every connection uses; better-sqlite3 is loaded on first use. */
export async function openSqlite(file: string, sync: SqliteSync = 'normal'): Promise<SqliteDatabase.Database> {
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
  conn.pragma(sync === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  conn.pragma('foreign_keys = ON');
  conn.pragma('busy_timeout = 5000');
  return conn;
}

/** How many distinct statements stay prepared; the application runs far fewer than this. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * The connection as Kysely sees it, with each statement prepared once and reused: preparing (the
 * parse and plan of the SQL text) costs as much as running most of the small queries the
 * service runs, and the same few hundred texts come back on every request. A statement that is
 * in use by an open iterator is never handed out twice; a fresh one is prepared for that call.
 */
export function cachingStatements(conn: SqliteDatabase.Database): {
  close(): void;
  prepare(sql: string): SqliteDatabase.Statement;
} {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      cache.clear();
      conn.close();
    },
    prepare(text: string) {
      // Kysely opens transactions with a plain BEGIN, which takes the write lock only at the
      // first write; if another connection (the checkpoint thread, a second process) holds it
      // then, SQLite fails the write at once instead of waiting. BEGIN IMMEDIATE waits for the
      // lock up front, within the busy timeout; with one writing connection it costs nothing.
      const sql = text === 'begin' ? 'begin immediate' : text;
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const stmt = conn.prepare(sql);
      if (!cached) {
        if (cache.size >= STATEMENT_CACHE_SIZE) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}
