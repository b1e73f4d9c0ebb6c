import type { Compilable, Kysely } from 'kysely';
import type { DbOrTx } from './database.js';
import { runDirect } from './direct.js';
import { CompiledQuery } from './kysely.js';
import type { Database } from './schema.js';

/**
 * A query written with Kysely's builder once and compiled once per dialect, then run with new
 * values: building and compiling a select costs Kysely more than SQLite takes to run it, and the
 * hot paths (a tracked sale runs a dozen small lookups) run the same few shapes over and over.
 *
 * The builder is given stand-ins for the named values; the compiled statement's parameters are
 * scanned for them once, and each run puts the real values in their places. The SQL text is
 * the one Kysely writes, so the prepared-statement cache of SQLite finds it at once too.
 *
 * Only plain values can be named (they must reach the statement unchanged, as in `=` or `<`),
 * and a list (`in`) must be given as separate names; a stand-in that does not come out as a
 * parameter of its own is refused when the query is first compiled.
 */
export interface Prepared<P extends Record<string, unknown>, R> {
  run(db: DbOrTx, values: P): Promise<R[]>;
  first(db: DbOrTx, values: P): Promise<R | undefined>;
}

interface Compiled {
  sql: string;
  /** For each parameter, the name it takes its value from, or the constant it keeps. */
  slots: ({ name: string } | { constant: unknown })[];
}

const STAND_IN = '\u0000kumppani-value:';

export function prepared<P extends Record<string, unknown>, R>(
  names: readonly (keyof P & string)[],
  build: (db: Kysely<Database>, values: P) => Compilable<R>,
): Prepared<P, R> {
  // One compiled form per adapter (dialect), found by the executor's adapter object.
  const forms = new WeakMap<object, Compiled>();

  const compile = (db: DbOrTx): Compiled => {
    const adapter = db.getExecutor().adapter;
    let form = forms.get(adapter);
    if (form) return form;
    const standIns = new Map(names.map((n) => [`${STAND_IN}${n}\u0000`, n]));
    const values = Object.fromEntries([...standIns].map(([standIn, n]) => [n, standIn])) as unknown as P;
    const query = build(db as Kysely<Database>, values).compile();
    const seen = new Set<string>();
    const slots = query.parameters.map((p) => {
      const name = typeof p === 'string' ? standIns.get(p) : undefined;
      if (name !== undefined) {
        seen.add(name);
        return { name };
      }
      if (typeof p === 'string' && p.includes(STAND_IN)) {
        throw new Error(`prepared query: a value was changed on its way into the statement (${query.sql})`);
      }
      return { constant: p };
    });
    for (const n of names) {
      if (!seen.has(n)) throw new Error(`prepared query: the value ${n} is not a parameter of ${query.sql}`);
    }
    form = { sql: query.sql, slots };
    forms.set(adapter, form);
    return form;
  };

  const run = async (db: DbOrTx, values: P): Promise<R[]> => {
    const form = compile(db);
    const parameters = new Array(form.slots.length);
    for (let i = 0; i < form.slots.length; i++) {
      const slot = form.slots[i] as { name: string } | { constant: unknown };
      parameters[i] = 'name' in slot ? values[slot.name] : slot.constant;
    }
    const direct = runDirect(db, form.sql, parameters);
    if (direct) return direct as R[];
    const result = await db.executeQuery<R>(CompiledQuery.raw(form.sql, parameters));
    return result.rows as R[];
  };

  return {
    run,
    first: async (db, values) => (await run(db, values))[0],
  };
}

/**
 * A list cut into groups of exactly `size`, the last one filled up by repeating its last item:
 * the values for a prepared `in (…)` of `size` names, where a repeated value changes nothing.
 * An empty list gives no groups.
 */
export function inGroupsOf<T>(list: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < list.length; i += size) {
    const group = list.slice(i, i + size);
    while (group.length < size) group.push(group[group.length - 1] as T);
    groups.push(group);
  }
  return groups;
}
