import { type Kysely, sql } from 'kysely';

/** Whether a migration runs on SQLite (the only dialect whose tables are ever rebuilt). */
export const isSqlite = (db: Kysely<unknown>) => db.getExecutor().adapter.constructor.name === 'SqliteAdapter';

/**
 * Rebuilds a SQLite table with a new definition, as SQLite's documentation does for what ALTER
 * TABLE cannot change: `define` makes the new table under a passing name, every row is copied
 * by the new table's column names (in `orderBy` order when given), the old table is dropped and
 * the new one takes its name. The old table's indexes go with it; the caller makes them again.
 * Only for a table that no other table points at, which is checked: dropping one that is pointed
 * at would delete or orphan the rows that point at it. Runs inside the caller's transaction.
 */
export async function rebuildTable(
  tx: Kysely<unknown>,
  table: string,
  define: (name: string) => { execute(): Promise<void> },
  orderBy?: string,
): Promise<void> {
  const pointing = await sql<{ name: string }>`select m.name from sqlite_master m, pragma_foreign_key_list(m.name) f
    where m.type = 'table' and f."table" = ${table}`.execute(tx);
  if (pointing.rows.length > 0) {
    throw new Error(`${table} cannot be rebuilt: ${pointing.rows.map((r) => r.name).join(', ')} point at it`);
  }
  const rebuilt = `${table}_rebuilt`;
  await define(rebuilt).execute();
  const columns = await sql<{ name: string }>`select name from pragma_table_info(${rebuilt})`.execute(tx);
  const names = sql.join(columns.rows.map((c) => sql.ref(c.name)));
  const order = orderBy ? sql` order by ${sql.ref(orderBy)}` : sql``;
  await sql`insert into ${sql.table(rebuilt)} (${names}) select ${names} from ${sql.table(table)}${order}`.execute(tx);
  await tx.schema.dropTable(table).execute();
  await tx.schema.alterTable(rebuilt).renameTo(table).execute();
}
