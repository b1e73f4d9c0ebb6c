import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../../src/db/database.js';
import { migrations } from '../../src/db/migrations/index.js';
import { rebuildTable } from '../../src/db/migrations/rebuild.js';
import { createEmptyDatabase, createTestDatabase, dialect } from '../helpers/database.js';

const migrator = (handle: DatabaseHandle) =>
  new Migrator({
    db: handle.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'kumppani_migrations',
    migrationLockTableName: 'kumppani_migrations_lock',
  });

describe.skipIf(dialect !== 'sqlite')('table rebuilds on SQLite (0010 and 0011)', () => {
  let empty: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    empty = await createEmptyDatabase();
    handle = await openDatabase(empty.config);
  });
  afterAll(async () => {
    await handle.close();
    await empty.drop();
  });

  it('rebuilds lines and code uses clustered on their keys, and clicks as a rowid table, keeping every row', async () => {
    const to = await migrator(handle).migrateTo('0009-sale-indexes');
    expect(to.error).toBeUndefined();
    const conn = handle.sqlite;
    if (!conn) throw new Error('no SQLite connection');
    // The conversions and the code the rows belong to, without their own parents: only the
    // two tables being rebuilt, whose keys to these rows are checked again, matter here.
    conn.pragma('foreign_keys = OFF');
    const at = '2026-12-04T10:00:00.000Z';
    for (const id of ['cnv_1', 'cnv_2']) {
      conn
        .prepare(
          `insert into conversions (id, workspace_id, program_id, kind, external_id, fingerprint, source, currency,
             amount, original_currency, original_amount, evidence, occurred_at, created_at)
           values (?, 'wsp_1', 'prg_1', 'sale', ?, 'f', 'track', 'EUR', 0, 'EUR', 0, '{}', ?, ?)`,
        )
        .run(id, id, at, at);
    }
    conn
      .prepare(
        `insert into codes (id, workspace_id, program_id, creator_id, code, code_key, discount, status, active_from,
           created_at, updated_at) values ('cod_1', 'wsp_1', 'prg_1', 'crt_1', 'DANA15', 'DANA15', '{}', 'active', ?, ?, ?)`,
      )
      .run(at, at, at);
    const line = conn.prepare(
      `insert into conversion_lines (conversion_id, line_no, line_id, product_id, external_product_id, name,
         quantity, amount, discount_amount, refunded_amount) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    line.run('cnv_1', 1, 'L1', 'prd_1', 'synergy-leggings', 'Synergy leggings', 1, 5100, 900, 0);
    line.run('cnv_1', 2, null, null, 'socks', 'Sports socks', 2, 850, null, 425);
    line.run('cnv_2', 1, null, null, null, null, 1, 1200, null, 1200);
    conn
      .prepare(
        `insert into code_uses (conversion_id, code_id, program_id, at, day, with_click, referrer_host, country,
           new_customer, coupon_site, amount) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run('cnv_1', 'cod_1', 'prg_1', '2026-12-04T10:00:00.000Z', '2026-12-04', 0, 'tiktok.com', 'FI', 1, 0, 5950);
    const click = conn.prepare(
      `insert into clicks (id, link_id, program_id, creator_id, content_id, placement, at, visitor_hash, device,
         browser, os, country, referrer, is_bot, is_unique) values (?, 'lnk_1', 'prg_1', 'crt_1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    click.run('clk_2', null, 'bio', at, 'v1', 'mobile', 'Mobile Safari', 'iOS', 'FI', 'tiktok.com', 0, 1);
    click.run('clk_1', 'cnt_1', 'qr', at, 'v2', 'bot', 'unknown', 'unknown', 'unknown', 'direct', 1, 0);
    const before = {
      lines: conn.prepare('select * from conversion_lines order by conversion_id, line_no').all(),
      uses: conn.prepare('select * from code_uses').all(),
      clicks: conn.prepare('select * from clicks order by id').all(),
    };
    conn.pragma('foreign_keys = ON');

    await migrateToLatest(handle.db);

    expect(conn.prepare('select * from conversion_lines order by conversion_id, line_no').all()).toEqual(before.lines);
    expect(conn.prepare('select * from code_uses').all()).toEqual(before.uses);
    expect(conn.prepare('select * from clicks order by id').all()).toEqual(before.clicks);
    const ddl = (name: string) =>
      (conn.prepare('select sql from sqlite_master where name = ?').get(name) as { sql: string } | undefined)?.sql ??
      '';
    for (const table of ['conversion_lines', 'code_uses']) {
      expect(ddl(table)).toMatch(/without rowid$/i);
      expect(ddl(table)).toContain('references "conversions" ("id") on delete cascade');
    }
    expect(ddl('clicks')).not.toMatch(/without rowid/i);
    expect(() => click.run('clk_1', null, 'bio', at, 'v', 'mobile', 'x', 'y', 'FI', 'direct', 0, 0)).toThrow(
      /UNIQUE|PRIMARY KEY/,
    );
    expect(() => click.run(null, null, 'bio', at, 'v', 'mobile', 'x', 'y', 'FI', 'direct', 0, 0)).toThrow(/NOT NULL/);
    expect(ddl('code_uses_code')).toContain('("code_id", "at")');
    // No table is left under the name a rebuild passes through.
    expect(conn.prepare("select name from sqlite_master where name like '%_rebuilt'").all()).toEqual([]);
    // The key still refuses a second line of the same number.
    expect(() => line.run('cnv_1', 1, null, null, null, null, 1, 1, null, 0)).toThrow(/UNIQUE|PRIMARY KEY/);
  });

  it('refuses to rebuild a table that another table points at, and changes nothing', async () => {
    // A database of its own, migrated to the latest schema: the test needs no other test's rows.
    const own = await createTestDatabase();
    try {
      const db = own.handle.db as unknown as Parameters<typeof rebuildTable>[0];
      const conn = own.handle.sqlite;
      if (!conn) throw new Error('no SQLite connection');
      const at = '2026-12-04T10:00:00.000Z';
      conn.pragma('foreign_keys = OFF');
      conn
        .prepare(
          `insert into conversions (id, workspace_id, program_id, kind, external_id, fingerprint, source, currency,
             amount, original_currency, original_amount, evidence, occurred_at, created_at)
           values ('cnv_1', 'wsp_1', 'prg_1', 'sale', 'cnv_1', 'f', 'track', 'EUR', 0, 'EUR', 0, '{}', ?, ?)`,
        )
        .run(at, at);
      conn.pragma('foreign_keys = ON');
      const count = () => (conn.prepare('select count(*) as n from conversions').get() as { n: number }).n;
      expect(count()).toBe(1);
      await expect(
        rebuildTable(db, 'conversions', (name) => db.schema.createTable(name).addColumn('id', 'text')),
      ).rejects.toThrow(/conversions cannot be rebuilt: .*conversion_lines/);
      expect(count()).toBe(1);
      expect(conn.prepare("select name from sqlite_master where name = 'conversions_rebuilt'").all()).toEqual([]);
    } finally {
      await own.drop();
    }
  });
});
