import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The ledger's tables have one writer: commissions/ledger.ts, over the SQL of
 * commissions/repository.ts. This reads every source file of `src/` and fails on a write of
 * `commissions`, `commission_events` or `creator_earnings` anywhere else but the migrations — a Kysely insert, update or delete, the
 * plain insert of the hot paths, or raw SQL — and on a use of the repository's `write…`
 * functions outside the ledger.
 */
const SRC = fileURLToPath(new URL('../', import.meta.url));
const OWNERS = new Set(['commissions/ledger.ts', 'commissions/repository.ts']);
const TABLE = String.raw`(?:commission(?:s|_events)|creator_earnings)\b`;

const WRITES: [string, RegExp][] = [
  [
    'a Kysely write',
    new RegExp(String.raw`\.(?:insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*['"\`]${TABLE}`),
  ],
  ['a plain insert', new RegExp(String.raw`insertRows\(\s*[^,()]+,\s*['"\`]${TABLE}`)],
  ['raw SQL', new RegExp(String.raw`\b(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from)\s+["\`]?${TABLE}`, 'i')],
  [
    'the ledger repository’s writes',
    /import\s*\{[^}]*\bwrite[A-Z]\w*[^}]*\}\s*from\s*['"][^'"]*commissions\/repository\.js['"]/,
  ],
  ['the ledger repository as a whole', /import\s*\*\s*as\s+\w+\s+from\s*['"][^'"]*commissions\/repository\.js['"]/],
];

/** What writes the ledger's tables in a source text, by kind. */
function ledgerWrites(text: string): string[] {
  return WRITES.filter(([, pattern]) => pattern.test(text)).map(([kind]) => kind);
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the check for writers of the ledger', () => {
  it.each([
    ["await tx.updateTable('commissions').set({ status: 'paid' })", 'a Kysely write'],
    ["db\n  .insertInto(\n    'commission_events')", 'a Kysely write'],
    ["await db.deleteFrom('commissions as c')", 'a Kysely write'],
    ["await insertRows(tx, 'commissions', rows)", 'a plain insert'],
    ["await sql`update commissions set status = 'paid'`.execute(db)", 'raw SQL'],
    ['sql`INSERT INTO "commission_events" (id) values (1)`', 'raw SQL'],
    ["db.insertInto('creator_earnings').values(row)", 'a Kysely write'],
    ["import { writeChange } from '../commissions/repository.js';", 'the ledger repository’s writes'],
    ["import * as repo from '../commissions/repository.js';", 'the ledger repository as a whole'],
  ])('finds %j as %s', (text, kind) => {
    expect(ledgerWrites(text)).toEqual([kind]);
  });

  it.each([
    "db.selectFrom('commissions').selectAll()",
    "db.updateTable('commission_rollups').set({ n: 1 })",
    "db.updateTable('creator_earnings_view').set({ n: 1 })",
    "import { entriesOf, toCommission } from '../commissions/repository.js';",
    '// the commissions are updated by the ledger',
  ])('lets %j pass', (text) => {
    expect(ledgerWrites(text)).toEqual([]);
  });
});

describe('the commission ledger', () => {
  it('is written only by commissions/ledger.ts and its repository', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(100);
    const writers = files
      .map((file) => ({
        file: relative(SRC, file).replaceAll('\\', '/'),
        writes: ledgerWrites(readFileSync(file, 'utf8')),
      }))
      // Migrations shape and fill tables before any service runs (the earnings' first sums).
      .filter((f) => f.writes.length > 0 && !OWNERS.has(f.file) && !f.file.startsWith('db/migrations/'));
    expect(writers).toEqual([]);
  });
});
