import type { Insertable } from 'kysely';
import type { DbOrTx } from './database.js';
import { runDirect } from './direct.js';
import { insertSql, type PlaceholderStyle } from './insert-sql.js';
import { CompiledQuery, sql } from './kysely.js';
import type { Database } from './schema.js';

/**
 * Plain inserts without Kysely's builder, for the hot paths (a tracked sale writes seven
 * tables): building and compiling an insert of a wide row costs Kysely several microseconds,
 * more than SQLite takes to run it. The SQL text is made once per table, column list, row count
 * and placeholder style, and reused, so the prepared-statement cache also finds it at once.
 * It is the statement Kysely would write: quoted identifiers, one placeholder per value.
 */

const styles = new WeakMap<object, PlaceholderStyle>();

/** A text made for one column list; the lists of one table and row count are few. */
interface Made {
  columns: readonly string[];
  text: string;
}
/** By placeholder style, table and row count: looked up without joining the column names. */
const texts = new Map<string, Made[]>();
const MAX_TEXTS = 500;
let madeTexts = 0;

function placeholderStyle(db: DbOrTx): PlaceholderStyle {
  const adapter = db.getExecutor().adapter;
  let style = styles.get(adapter);
  if (!style) {
    style = db.selectNoFrom(sql<number>`${1}`.as('one')).compile().sql.includes('$1') ? 'dollar' : 'question';
    styles.set(adapter, style);
  }
  return style;
}

const sameColumns = (a: readonly string[], b: readonly string[]) => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

function insertText(style: PlaceholderStyle, table: string, columns: string[], rows: number): string {
  const key = `${style}\0${table}\0${rows}`;
  let made = texts.get(key);
  if (made) for (const m of made) if (sameColumns(m.columns, columns)) return m.text;
  const text = insertSql(table, columns, rows, style);
  if (madeTexts >= MAX_TEXTS) {
    texts.clear();
    madeTexts = 0;
    made = undefined;
  }
  if (!made) {
    made = [];
    texts.set(key, made);
  }
  made.push({ columns: [...columns], text });
  madeTexts += 1;
  return text;
}

/**
 * Inserts rows that all name the same columns (the first row's keys). A value left undefined is
 * written as NULL, so rows should name every column they mean to set.
 */
export async function insertRows<T extends keyof Database & string>(
  db: DbOrTx,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const parameters: unknown[] = new Array(columns.length * rows.length);
  let i = 0;
  for (const row of rows) {
    const values = row as Record<string, unknown>;
    if (Object.keys(values).length !== columns.length) {
      throw new Error(`insertRows(${table}): every row must name the same columns`);
    }
    for (const c of columns) {
      if (!(c in values)) throw new Error(`insertRows(${table}): a row lacks the column ${c}`);
      parameters[i++] = values[c] ?? null;
    }
  }
  const text = insertText(placeholderStyle(db), table, columns, rows.length);
  if (runDirect(db, text, parameters)) return;
  await db.executeQuery(CompiledQuery.raw(text, parameters));
}
