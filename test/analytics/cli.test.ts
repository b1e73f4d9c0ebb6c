import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvedCreator,
  type Brand,
  call,
  createKey,
  createLink,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';
import { dialect } from '../helpers/database.js';

/** `kumppani analytics …` and `kumppani contents import-views` as a user runs them: the built executable. */
const bin = path.resolve('dist/cli/main.js');
let t: TestApp;
let brand: Brand;
let programId: string;
let videoId: string;
const dir = mkdtempSync(path.join(tmpdir(), 'kumppani-analytics-cli-'));

function run(args: string[]) {
  const { KUMPPANI_DATABASE_URL, KUMPPANI_SECRET, REDIS_URL, ...env } = process.env;
  const dbArgs = [
    '--data-dir',
    t.database.dataDir,
    ...(dialect === 'postgres' ? ['--database', t.database.config.url] : []),
  ];
  const res = spawnSync(process.execPath, [bin, ...args, ...dbArgs], {
    env: { ...env, KUMPPANI_LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app, 'Cli Brand');
  const key = await createKey(t.app, brand.token, 'manager');
  programId = (await createProgram(t.app, brand.token, validProgram)).id;
  const creator = await approvedCreator(t.app, brand.token, programId, 'Krista');
  const video = await call(t.app, creator.token, {
    method: 'POST',
    url: '/api/v1/contents',
    payload: { platform: 'tiktok', url: 'https://www.tiktok.com/@k/video/7400000000000000001' },
  });
  videoId = video.json().id;
  await createLink(t.app, creator.token, {
    programId,
    slug: 'cli-video',
    destinationUrl: 'https://shop.example.com/',
    contentId: videoId,
  });
  const res = await t.app.inject({
    method: 'GET',
    url: '/cli-video',
    headers: { 'user-agent': 'Mozilla/5.0 Firefox/130.0' },
  });
  const clickId = new URL(res.headers.location as string).searchParams.get('kclid');
  const sale = await call(t.app, key, {
    method: 'POST',
    url: '/api/v1/track/sale',
    payload: { programId, orderId: 'C1', clickId, currency: 'EUR', lines: [{ amount: 4200, quantity: 1 }] },
  });
  expect(sale.statusCode, sale.body).toBe(201);
});
afterAll(async () => {
  await t?.close();
});

describe('kumppani analytics verify', () => {
  it('reports that the rollups agree with the raw rows', () => {
    const res = run(['analytics', 'verify']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('the rollups agree with the raw rows');
  });

  it('reports a rollup that disagrees, and exits with 1', async () => {
    const db = t.database.handle.db;
    const creatorTotals = () =>
      db.updateTable('conversion_stats_hourly').where('dimension', '=', 'all').where('creator_id', '<>', '');
    await creatorTotals().set({ gmv: 4201 }).execute();
    try {
      const res = run(['analytics', 'verify', '--program', programId]);
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/1 difference/);
      expect(res.stdout).toContain('"gmv":4200');
    } finally {
      await creatorTotals().set({ gmv: 4200 }).execute();
    }
  });

  it("reports a program's click rollup that disagrees with the raw clicks", async () => {
    const db = t.database.handle.db;
    const countries = () =>
      db.updateTable('click_stats_daily').where('program_id', '=', programId).where('dimension', '=', 'country');
    await countries().set({ clicks: 2 }).execute();
    try {
      const res = run(['analytics', 'verify', '--program', programId]);
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/1 difference/);
      expect(res.stdout).toContain('click_stats_daily');
    } finally {
      await countries().set({ clicks: 1 }).execute();
    }
    const hours = () => db.updateTable('click_stats_hourly').where('program_id', '=', programId);
    await hours().set({ unique_clicks: 0 }).execute();
    try {
      const res = run(['analytics', 'verify', '--program', programId]);
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/click_stats_hourly .*"unique_clicks":1/);
    } finally {
      await hours().set({ unique_clicks: 1 }).execute();
    }
  });
});

describe('kumppani analytics export', () => {
  it("writes a brand's numbers grouped by creator as CSV", () => {
    const res = run([
      'analytics',
      'export',
      '--workspace',
      brand.workspaceId,
      '--program',
      programId,
      '--group-by',
      'creator',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const rows = parse(res.stdout, { columns: true }) as Record<string, string>[];
    expect(rows[0]).toMatchObject({ label: 'Krista', clicks: '1', sales: '1', gmv: '4200' });
    expect(rows.at(-1)).toMatchObject({ key: 'totals', gmv: '4200' });
  });

  it('writes the raw clicks of the period to a file', () => {
    const out = path.join(dir, 'clicks.csv');
    const res = run(['analytics', 'export', '--workspace', brand.workspaceId, '--events', 'clicks', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.content_id).toBe(videoId);
  });
});

describe('kumppani contents import-views', () => {
  it('imports the view counts of a file', async () => {
    const file = path.join(dir, 'views.csv');
    writeFileSync(
      file,
      `contentId,at,views\n${videoId},2026-11-01T10:00:00Z,1200\n${videoId},2026-11-02T10:00:00Z,3400\n`,
    );
    const res = run(['contents', 'import-views', file]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Imported 2 view counts');
    const rows = await t.database.handle.db
      .selectFrom('content_views')
      .selectAll()
      .where('content_id', '=', videoId)
      .execute();
    expect(rows.map((r) => Number(r.views)).sort()).toEqual([1200, 3400]);
  });

  it('imports nothing from a file with a bad row, and names the line', async () => {
    const file = path.join(dir, 'bad.csv');
    writeFileSync(file, `contentId,at,views\n${videoId},2026-11-03T10:00:00Z,5000\ncnt_nope,2026-11-03T10:00:00Z,12\n`);
    const res = run(['contents', 'import-views', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('line 3.contentId');
    const rows = await t.database.handle.db
      .selectFrom('content_views')
      .selectAll()
      .where('at', '=', '2026-11-03T10:00:00.000Z')
      .execute();
    expect(rows).toEqual([]);
  });
});
