import { existsSync } from 'node:fs';
import type SqliteDatabase from 'better-sqlite3';
import type * as KyselyModule from 'kysely';
import type pg from 'pg';
import { type DatabaseConfig, redactUrl } from '../config/config.js';
import { StartupError } from '../shared/errors.js';
import { allowDirect } from './direct.js';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from './kysely.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';
import { cachingStatements, openSqlite } from './sqlite.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = KyselyModule.Kysely<Database>;
/** The database or a transaction on it: what repository functions take. */
export type DbOrTx = KyselyModule.Kysely<Database> | KyselyModule.Transaction<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** For SQLite, the underlying connection (used by bulk loaders); undefined on PostgreSQL. */
  sqlite: SqliteDatabase.Database | undefined;
  close(): Promise<void>;
}

const INT8_OID = 20;

/**
 * PostgreSQL returns int8 as a string by default. Money and counters are int8, so they are
 * converted to numbers here, once, and refused if a value could not be held exactly.
 */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${value} is beyond the exact range of a number`);
  return n;
}

function pgTypes(types: typeof pg.types) {
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8_OID && format !== 'binary') return parseInt8;
      // biome-ignore lint/suspicious/noExplicitAny: pg's own typing of getTypeParser is overloaded
      return (types.getTypeParser as any)(oid, format);
    },
  };
}

// Each driver is loaded only when its database is used: start-up pays for one, not both.
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (config.dialect === 'sqlite') {
    const conn = await openSqlite(config.file, config.synchronous);
    const statements = cachingStatements(conn);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
    allowDirect(db, statements);
    return {
      db,
      dialect: 'sqlite',
      sqlite: conn,
      close: () => db.destroy(),
    };
  }
  const { default: pgDriver } = await import('pg');
  const pool = new pgDriver.Pool({
    connectionString: config.url,
    max: config.poolSize,
    types: pgTypes(pgDriver.types),
    connectionTimeoutMillis: 5000,
  });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new StartupError(`cannot connect to PostgreSQL at ${redactUrl(config.url)}: ${(err as Error).message}`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', sqlite: undefined, close: () => db.destroy() };
}

export function sqliteFileExists(config: DatabaseConfig): boolean {
  return config.dialect === 'sqlite' && config.file !== ':memory:' && existsSync(config.file);
}

export interface MigrationReport {
  applied: string[];
}

export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'kumppani_migrations',
    migrationLockTableName: 'kumppani_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new StartupError(
      `migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

export async function pendingMigrations(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'kumppani_migrations',
    migrationLockTableName: 'kumppani_migrations_lock',
  });
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
