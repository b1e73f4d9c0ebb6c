import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { openSqlite } from './sqlite.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kumppani-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openSqlite', () => {
  it('opens in WAL mode, and commits wait for the disk as asked (NORMAL unless FULL)', async () => {
    const file = path.join(dir, 'x.db');
    const normal = await openSqlite(file);
    expect(normal.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(normal.pragma('synchronous', { simple: true })).toBe(1);
    expect(normal.pragma('foreign_keys', { simple: true })).toBe(1);
    normal.close();
    const full = await openSqlite(file, 'full');
    expect(full.pragma('synchronous', { simple: true })).toBe(2);
    full.close();
  });

  it('is given the setting by the database configuration', async () => {
    const file = path.join(dir, 'y.db');
    const handle = await openDatabase({ dialect: 'sqlite', file, url: `sqlite:${file}`, synchronous: 'full' });
    try {
      expect(handle.sqlite?.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      await handle.close();
    }
  });
});
