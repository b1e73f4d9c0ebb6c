import { type Kysely, sql } from 'kysely';
import { isSqlite, rebuildTable } from './rebuild.js';

// On SQLite, the lines of a conversion and the uses of codes become tables clustered on their
// primary key (WITHOUT ROWID). As rowid tables, each sale wrote every line twice, into the
// table and into the index of its key, and a code's use the same. Their rows are small, and no
// table points at them, so both are rebuilt (`rebuildTable`) in one transaction. PostgreSQL
// keeps its tables.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isSqlite(db)) return;
  await db.transaction().execute(async (tx) => {
    await rebuildTable(tx, 'conversion_lines', (name) =>
      tx.schema
        .createTable(name)
        .addColumn('conversion_id', 'text', (c) => c.notNull().references('conversions.id').onDelete('cascade'))
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('line_id', 'text')
        .addColumn('product_id', 'text')
        .addColumn('external_product_id', 'text')
        .addColumn('name', 'text')
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('discount_amount', 'bigint')
        .addColumn('refunded_amount', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('conversion_lines_pk', ['conversion_id', 'line_no'])
        .modifyEnd(sql`without rowid`),
    );

    await rebuildTable(tx, 'code_uses', (name) =>
      tx.schema
        .createTable(name)
        .addColumn('conversion_id', 'text', (c) => c.primaryKey().references('conversions.id').onDelete('cascade'))
        .addColumn('code_id', 'text', (c) => c.notNull().references('codes.id').onDelete('cascade'))
        .addColumn('program_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('with_click', 'integer', (c) => c.notNull())
        .addColumn('referrer_host', 'text')
        .addColumn('country', 'text')
        .addColumn('new_customer', 'integer', (c) => c.notNull())
        .addColumn('coupon_site', 'integer', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .modifyEnd(sql`without rowid`),
    );
    await tx.schema.createIndex('code_uses_code').on('code_uses').columns(['code_id', 'at']).execute();
  });
}

// The clustered tables hold the same rows and answer the same queries: nothing to undo.
export async function down(): Promise<void> {}
