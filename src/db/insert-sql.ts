/** How a dialect writes its placeholders: `?` (SQLite) or `$1`, `$2`… (PostgreSQL). */
export type PlaceholderStyle = 'dollar' | 'question';

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * The text of an insert of `rows` rows naming `columns`, as Kysely would write it: quoted
 * identifiers, one placeholder per value. It imports nothing, so a worker thread that only
 * writes with prepared statements can use it without loading Kysely.
 */
export function insertSql(
  table: string,
  columns: readonly string[],
  rows: number,
  style: PlaceholderStyle = 'question',
): string {
  let n = 0;
  const next = style === 'dollar' ? () => `$${++n}` : () => '?';
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) tuples.push(`(${columns.map(next).join(', ')})`);
  return `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${tuples.join(', ')}`;
}
