import { createRequire } from 'node:module';
import type * as KyselyModule from 'kysely';

// Kysely's CommonJS build loads in about half the time of its ESM build (260 files), which
// matters for start-up; Kysely's run-time values come from here only (the rest import types).
export const { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, sql } = createRequire(import.meta.url)(
  'kysely',
) as typeof KyselyModule;
