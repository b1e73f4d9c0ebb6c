import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyViews } from '../../src/analytics/recount.js';
import * as viewStats from '../../src/db/migrations/0024-view-stats.js';
import {
  approvedCreator,
  call,
  createLink,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

/**
 * Migration 0024 fills the views rollup from the view counts already recorded, for the videos that
 * each program's links and codes point at: undone and done again, it writes what the writers
 * wrote, equal to a recount from the raw rows.
 */
let t: TestApp;
let programId: string;

beforeAll(async () => {
  t = await startTestApp();
  const brand = await signupBrand(t.app, 'Views Backfill Brand');
  programId = (await createProgram(t.app, brand.token, validProgram)).id;
  const creator = await approvedCreator(t.app, brand.token, programId, 'Aino');
  const videos: string[] = [];
  for (const n of [1, 2, 3]) {
    const res = await call(t.app, creator.token, {
      method: 'POST',
      url: '/api/v1/contents',
      payload: { platform: 'youtube', url: `https://youtu.be/ainovideo${n}` },
    });
    videos.push(res.json().id);
  }
  await createLink(t.app, creator.token, {
    programId,
    slug: 'views-backfill',
    destinationUrl: 'https://shop.example.com/',
    contentId: videos[0],
  });
  const code = await call(t.app, brand.token, {
    method: 'POST',
    url: `/api/v1/programs/${programId}/codes`,
    payload: {
      creatorId: creator.creatorId,
      code: 'AINO10',
      discount: { type: 'percent', bps: 1000 },
      contentId: videos[1],
    },
  });
  expect(code.statusCode, code.body).toBe(201);
  const now = Date.now();
  // The third video is in no program: its views count nowhere.
  for (const [video, hoursAgo, views] of [
    [0, 30, 100],
    [0, 2, 700],
    [0, 10, 400], // out of order: the count after it is told again
    [1, 5, 50],
    [2, 5, 9999],
  ] as const) {
    const res = await call(t.app, creator.token, {
      method: 'POST',
      url: `/api/v1/contents/${videos[video]}/views`,
      payload: { views, at: new Date(now - hoursAgo * 3_600_000).toISOString() },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
  }
});
afterAll(async () => {
  await t?.close();
});

describe('migration 0024', () => {
  it('fills the views rollup from the recorded counts, equal to what the writers wrote and to a recount', async () => {
    const db = t.database.handle.db;
    const rows = () =>
      db
        .selectFrom('view_stats_hourly')
        .select(['hour', 'creator_id', 'views'])
        .where('program_id', '=', programId)
        .orderBy('hour')
        .orderBy('creator_id')
        .execute();
    const written = (await rows()).map((r) => ({ ...r, views: Number(r.views) }));
    expect(written.filter((r) => r.creator_id === '').reduce((s, r) => s + r.views, 0)).toBe(750);

    await viewStats.down(db as never);
    await viewStats.up(db as never);

    expect((await rows()).map((r) => ({ ...r, views: Number(r.views) }))).toEqual(written);
    expect((await verifyViews(db, [programId])).differences).toEqual([]);
  });
});
