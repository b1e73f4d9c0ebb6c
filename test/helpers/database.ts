import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config/config.js';
import { type DatabaseHandle, type Dialect, migrateToLatest, openDatabase } from '../../src/db/database.js';

export const dialect: Dialect = process.env.KUMPPANI_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';

export function adminUrl(): string {
  return process.env.KUMPPANI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export interface TestDatabase {
  config: DatabaseConfig;
  handle: DatabaseHandle;
  dataDir: string;
  /** Closes the connection and removes the database (the file, or the PostgreSQL database). */
  drop(): Promise<void>;
}

/** Opens a new, empty database for one test file (never a leftover), unmigrated. */
export async function createEmptyDatabase(): Promise<Omit<TestDatabase, 'handle'> & { handle?: DatabaseHandle }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kumppani-test-'));
  if (dialect === 'sqlite') {
    const file = path.join(dataDir, 'kumppani.db');
    return {
      config: { dialect: 'sqlite', file, url: `sqlite:${file}` },
      dataDir,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `kumppani_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    config: { dialect: 'postgres', url: url.toString(), poolSize: 5 },
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A new database of the dialect under test, migrated to the latest schema. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const empty = await createEmptyDatabase();
  const handle = await openDatabase(empty.config);
  await migrateToLatest(handle.db);
  return {
    ...empty,
    handle,
    drop: async () => {
      await handle.close();
      await empty.drop();
    },
  };
}
