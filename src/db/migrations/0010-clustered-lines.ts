import { type Kysely, sql } from 'kysely';

// On SQLite, the lines of a conversion and the uses of codes become tables clustered on their
// primary key (WITHOUT ROWID). As rowid tables, each sale wrote every line twice, into the
// table and into the index of its key, and a code's use the same. Their rows are small, and no
// table points at them, so each is rebuilt in one transaction: a new table, the rows copied,
// the old one dropped and the new one named as it was. PostgreSQL keeps its tables.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter.constructor.name !== 'SqliteAdapter') return;
  await db.transaction().execute(async (tx) => {
    await tx.schema
      .createTable('conversion_lines_clustered')
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
      .modifyEnd(sql`without rowid`)
      .execute();
    await sql`insert into conversion_lines_clustered (conversion_id, line_no, line_id, product_id,
      external_product_id, name, quantity, amount, discount_amount, refunded_amount)
      select conversion_id, line_no, line_id, product_id, external_product_id, name, quantity, amount,
        discount_amount, refunded_amount from conversion_lines`.execute(tx);
    await tx.schema.dropTable('conversion_lines').execute();
    await tx.schema.alterTable('conversion_lines_clustered').renameTo('conversion_lines').execute();

    await tx.schema
      .createTable('code_uses_clustered')
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
      .modifyEnd(sql`without rowid`)
      .execute();
    await sql`insert into code_uses_clustered (conversion_id, code_id, program_id, at, day, with_click,
      referrer_host, country, new_customer, coupon_site, amount)
      select conversion_id, code_id, program_id, at, day, with_click, referrer_host, country, new_customer,
        coupon_site, amount from code_uses`.execute(tx);
    await tx.schema.dropTable('code_uses').execute();
    await tx.schema.alterTable('code_uses_clustered').renameTo('code_uses').execute();
    await tx.schema.createIndex('code_uses_code').on('code_uses').columns(['code_id', 'at']).execute();
  });
}

// The clustered tables hold the same rows and answer the same queries: nothing to undo.
export async function down(): Promise<void> {}
