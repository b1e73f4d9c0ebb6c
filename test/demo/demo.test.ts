import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseIsEmpty, describeDemo, loadDemo } from '../../src/demo/demo.js';
import { destinationProblem } from '../../src/links/destination.js';
import { slugProblem } from '../../src/links/slug.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('the demo world', () => {
  it('fills an empty database with two brands, three programs and forty creators', async () => {
    const db = database.handle.db;
    expect(await databaseIsEmpty(db)).toBe(true);
    const summary = await loadDemo(
      { db, secret: 'demo-test-secret-0123456789abcdef', clock: systemClock },
      { clicks: 3000 },
    );
    expect(await databaseIsEmpty(db)).toBe(false);

    const workspaces = await db.selectFrom('workspaces').selectAll().execute();
    expect(workspaces.map((w) => w.country).sort()).toEqual(['FI', 'US']);
    const programs = await db.selectFrom('programs').selectAll().execute();
    expect(programs).toHaveLength(3);
    expect(programs.map((p) => p.currency).sort()).toEqual(['EUR', 'EUR', 'USD']);

    const products = await db.selectFrom('products').selectAll().execute();
    expect(products.length).toBeGreaterThanOrEqual(12);
    for (const p of products) expect(p.price_amount).toBeGreaterThan(0);

    const creators = await db.selectFrom('creators').selectAll().execute();
    expect(creators).toHaveLength(40);
    expect(summary.creators).toHaveLength(40);
    const names = creators.map((c) => c.name);
    expect(names).toContain('Krista Lehtonen');
    expect(names).toContain('Dana Vaughan');

    const social = await db.selectFrom('social_accounts').selectAll().execute();
    expect(new Set(social.map((s) => s.platform))).toEqual(new Set(['tiktok', 'instagram', 'youtube']));
    for (const c of creators) expect(social.some((s) => s.creator_id === c.id)).toBe(true);
    for (const s of social) {
      expect(s.followers).toBeGreaterThanOrEqual(1000);
      expect(s.avg_views).toBeGreaterThan(0);
      expect(s.avg_views).toBeLessThanOrEqual(s.followers);
      expect(s.engagement_bps).toBeGreaterThan(50);
      expect(s.engagement_bps).toBeLessThan(2000);
    }
    const followers = social.map((s) => s.followers).sort((a, b) => a - b);
    expect(followers[followers.length - 1]).toBeGreaterThan(10 * (followers[0] ?? 0));

    const enrollments = await db.selectFrom('enrollments').selectAll().execute();
    for (const program of programs) {
      const approved = enrollments.filter((e) => e.program_id === program.id && e.status === 'approved');
      expect(approved.length, program.name).toBeGreaterThan(0);
    }
    const statuses = new Set(enrollments.map((e) => e.status));
    expect(statuses).toEqual(new Set(['applied', 'invited', 'approved', 'rejected', 'suspended']));
    const events = await db.selectFrom('enrollment_events').selectAll().execute();
    for (const e of enrollments) {
      const history = events.filter((ev) => ev.enrollment_id === e.id).sort((a, b) => a.id.localeCompare(b.id));
      expect(history.length, e.id).toBeGreaterThan(0);
      expect(history[history.length - 1]?.to_status).toBe(e.status);
    }
    for (const e of enrollments.filter((x) => x.status === 'rejected' || x.status === 'suspended')) {
      expect(e.reason, e.id).toBeTruthy();
    }

    expect(summary.brands).toHaveLength(2);
    for (const b of summary.brands) expect(b.apiKey).toMatch(/^kpk_/);

    // Videos and posts, several links per video, all valid and on the program's domains.
    const contents = await db.selectFrom('contents').selectAll().execute();
    const links = await db.selectFrom('links').selectAll().execute();
    expect(contents.length).toBeGreaterThan(50);
    expect(summary.traffic).toMatchObject({ contents: contents.length, links: links.length, clicks: 3000 });
    const perVideo = new Map<string, number>();
    for (const l of links) if (l.content_id) perVideo.set(l.content_id, (perVideo.get(l.content_id) ?? 0) + 1);
    expect(perVideo.size).toBe(contents.length);
    for (const n of perVideo.values()) expect(n).toBeGreaterThanOrEqual(2);
    const approvedPairs = new Set(
      enrollments.filter((e) => e.status === 'approved').map((e) => `${e.program_id}|${e.creator_id}`),
    );
    const programById = new Map(programs.map((p) => [p.id, p]));
    for (const l of links) {
      expect(slugProblem(l.slug), l.slug).toBeUndefined();
      expect(approvedPairs.has(`${l.program_id}|${l.creator_id}`), l.slug).toBe(true);
      const program = programById.get(l.program_id);
      expect(
        destinationProblem(l.destination_url, JSON.parse(program?.allowed_domains ?? '[]')),
        l.slug,
      ).toBeUndefined();
    }
    expect(new Set(links.map((l) => l.placement))).toEqual(new Set(['bio', 'caption', 'comment', 'story', 'qr']));
    // Two to five videos or posts per approved enrollment, posted over the last 60 days.
    const approvedEnrollments = enrollments.filter((e) => e.status === 'approved');
    for (const e of approvedEnrollments) {
      const videos = new Set(
        links.filter((l) => l.program_id === e.program_id && l.creator_id === e.creator_id).map((l) => l.content_id),
      );
      videos.delete(null);
      expect(videos.size, e.id).toBeGreaterThanOrEqual(2);
      expect(videos.size, e.id).toBeLessThanOrEqual(5);
    }
    for (const c of contents) {
      const age = (Date.now() - Date.parse(c.posted_at ?? '')) / 86_400_000;
      expect(age, c.url).toBeGreaterThan(0);
      expect(age, c.url).toBeLessThanOrEqual(60);
      expect(c.title).toBeTruthy();
      expect(
        social.some((s) => s.creator_id === c.creator_id && s.platform === c.platform),
        c.url,
      ).toBe(true);
    }
    expect(summary.exampleSlug).toMatch(/\/bio$/);

    // Clicks over about 60 days, a few per cent of them bots, rollups matching the raw clicks.
    const clicks = await db
      .selectFrom('clicks')
      .select(['at', 'is_bot', 'is_unique', 'link_id', 'program_id', 'device', 'browser', 'os', 'country'])
      .execute();
    expect(clicks).toHaveLength(3000);
    const days = clicks.map((c) => Date.parse(c.at));
    expect((Math.max(...days) - Math.min(...days)) / 86_400_000).toBeGreaterThan(45);
    expect(Math.max(...days)).toBeLessThanOrEqual(Date.now());
    const bots = clicks.filter((c) => c.is_bot).length;
    expect(bots / clicks.length).toBeGreaterThan(0.03);
    expect(bots / clicks.length).toBeLessThan(0.1);
    expect(summary.traffic.botClicks).toBe(bots);
    // People: mostly on phones, with an OS that fits the device; some click twice the same day.
    const people = clicks.filter((c) => !c.is_bot);
    const mobile = people.filter((c) => c.device === 'mobile').length / people.length;
    expect(mobile).toBeGreaterThan(0.65);
    expect(mobile).toBeLessThan(0.88);
    const systems: Record<string, string[]> = {
      mobile: ['iOS', 'Android'],
      tablet: ['iOS', 'Android'],
      desktop: ['Windows', 'Mac OS'],
    };
    for (const c of people) expect(systems[c.device], `${c.device} ${c.os}`).toContain(c.os);
    for (const browser of ['TikTok', 'Instagram', 'Mobile Safari', 'Chrome']) {
      expect(
        people.some((c) => c.browser === browser),
        browser,
      ).toBe(true);
    }
    const repeated = people.filter((c) => !c.is_unique).length / people.length;
    expect(repeated).toBeGreaterThan(0.02);
    expect(repeated).toBeLessThan(0.25);
    // Countries by brand: the Finnish programs' clicks come mostly from Finland, the US one's from the US.
    for (const program of programs) {
      const own = people.filter((c) => c.program_id === program.id);
      const home = program.currency === 'USD' ? 'US' : 'FI';
      expect(own.filter((c) => c.country === home).length / own.length, program.name).toBeGreaterThan(0.5);
    }
    const rollup = await db
      .selectFrom('link_stats_hourly')
      .select((eb) => [eb.fn.sum<number>('clicks').as('clicks'), eb.fn.sum<number>('bot_clicks').as('bots')])
      .executeTakeFirstOrThrow();
    expect(Number(rollup.clicks)).toBe(clicks.length - bots);
    expect(Number(rollup.bots)).toBe(bots);
    // A coupon code per approved creator and program, unique per program whatever the case.
    const codes = await db.selectFrom('codes').selectAll().execute();
    expect(summary.codes).toBe(codes.length);
    for (const pair of approvedPairs) {
      expect(
        codes.some((c) => `${c.program_id}|${c.creator_id}` === pair),
        pair,
      ).toBe(true);
    }
    const keys = codes.map((c) => `${c.program_id}|${c.code_key}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(codes.filter((c) => c.replaced_by !== null)).toHaveLength(1);
    expect(codes.map((c) => c.code)).toEqual(expect.arrayContaining(['KRISTA20', 'DANA15']));

    const described = describeDemo(summary, 'http://127.0.0.1:8080');
    expect(described).toContain('tracked links');
    expect(described).toContain('3,000 clicks');
  }, 120_000); // the whole demo world, written through the services: on a busy machine it takes a while
});
