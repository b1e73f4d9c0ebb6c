import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.js';
import {
  approvedCreator,
  type Brand,
  type CreatorAccount,
  call,
  createLink,
  createProgram,
  setAllowedDomains,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const DESKTOP_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const FACEBOOK_PREVIEW = 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)';

// A second before midnight: a day read from the wall clock after the visits would be the next one.
const clock = fixedClock(new Date('2026-11-02T23:59:59.000Z'));
let t: TestApp;
let brand: Brand;
let programId: string;
let creator: CreatorAccount;
let base: string;
beforeAll(async () => {
  t = await startTestApp({ clock, config: { countryHeader: 'cf-ipcountry' } });
  brand = await signupBrand(t.app, 'Aino');
  programId = (
    await createProgram(t.app, brand.token, {
      ...validProgram,
      utmDefaults: { source: 'kumppani', medium: 'creator' },
    })
  ).id;
  creator = await approvedCreator(t.app, brand.token, programId, 'Krista');
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await t?.close();
});

/** A real request over HTTP to the listening server, redirects not followed. */
async function visit(path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return fetch(`${base}${path}`, { redirect: 'manual', ...init, headers: { 'user-agent': IPHONE, ...init.headers } });
}

async function clicksOf(linkId: string) {
  return t.database.handle.db.selectFrom('clicks').selectAll().where('link_id', '=', linkId).orderBy('id').execute();
}

async function stats(linkId: string) {
  const res = await call(t.app, creator.token, { method: 'GET', url: `/api/v1/links/${linkId}/stats` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('GET /{slug}', () => {
  it('answers 302 with kclid, keeping the destination query and fragment and passing the visitor query through', async () => {
    const link = await createLink(t.app, creator.token, {
      programId,
      slug: 'krista/tiktok-0412',
      destinationUrl: 'https://shop.example.com/leggings?color=black#sizes',
      placement: 'caption',
      utm: { campaign: 'spring' },
    });
    const res = await visit('/krista/tiktok-0412?utm_content=pinned&color=red&gclid=abc', {
      headers: { referer: 'https://www.tiktok.com/@krista', 'cf-ipcountry': 'fi' },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const location = new URL(res.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe('https://shop.example.com/leggings');
    expect(location.hash).toBe('#sizes');
    const q = location.searchParams;
    expect(q.get('color')).toBe('black'); // the destination's own parameters win
    expect(q.get('gclid')).toBe('abc');
    expect(q.get('utm_source')).toBe('kumppani');
    expect(q.get('utm_medium')).toBe('creator');
    expect(q.get('utm_campaign')).toBe('spring');
    expect(q.get('utm_content')).toBe('pinned');
    const kclid = q.get('kclid') as string;
    expect(kclid).toMatch(/^clk_[0-9a-z]{26}$/);

    // The click was committed before the answer, with everything the issue asks for.
    const [click] = await clicksOf(link.id);
    expect(click).toMatchObject({
      id: kclid,
      creator_id: creator.creatorId,
      program_id: programId,
      placement: 'caption',
      device: 'mobile',
      browser: 'Mobile Safari',
      os: 'iOS',
      country: 'FI',
      referrer: 'tiktok.com',
    });
    expect(Boolean(click?.is_bot)).toBe(false);
    expect(Boolean(click?.is_unique)).toBe(true);
    expect(click?.visitor_hash).toMatch(/^[\w-]{22}$/);
    expect(JSON.stringify(click)).not.toContain('127.0.0.1'); // no raw IP anywhere
  });

  it("lets a link replace or leave out the program's UTM defaults", async () => {
    const link = await createLink(t.app, creator.token, {
      programId,
      destinationUrl: 'https://shop.example.com/p',
      utm: { source: 'tiktok', medium: null, campaign: 'spring' },
    });
    const location = new URL((await visit(`/${link.slug}`)).headers.get('location') as string);
    expect(location.searchParams.get('utm_source')).toBe('tiktok');
    expect(location.searchParams.has('utm_medium')).toBe(false);
    expect(location.searchParams.get('utm_campaign')).toBe('spring');
    const read = await call(t.app, creator.token, { method: 'GET', url: `/api/v1/links/${link.id}` });
    expect(read.json().utm).toEqual({ source: 'tiktok', medium: null, campaign: 'spring' });
    // Back to the program's defaults.
    const patch = await call(t.app, creator.token, {
      method: 'PATCH',
      url: `/api/v1/links/${link.id}`,
      payload: { utm: null },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const again = new URL((await visit(`/${link.slug}`)).headers.get('location') as string);
    expect(again.searchParams.get('utm_source')).toBe('kumppani');
    expect(again.searchParams.get('utm_medium')).toBe('creator');
    expect(again.searchParams.has('utm_campaign')).toBe(false);
  });

  it('finds a slug typed in capitals and with a trailing slash', async () => {
    await createLink(t.app, creator.token, {
      programId,
      slug: 'krista-bio',
      destinationUrl: 'https://shop.example.com/',
    });
    expect((await visit('/Krista-Bio/')).status).toBe(302);
  });

  it('counts a visitor once a day as unique, and each person separately', async () => {
    const link = await createLink(t.app, creator.token, { programId, destinationUrl: 'https://shop.example.com/' });
    await visit(`/${link.slug}`);
    await visit(`/${link.slug}`);
    await visit(`/${link.slug}`, { headers: { 'user-agent': DESKTOP_CHROME } });
    const s = await stats(link.id);
    expect(s).toMatchObject({ clicks: 3, uniqueClicks: 2, botClicks: 0 });
    expect(s.byDevice).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ device: 'mobile', clicks: 2, uniqueClicks: 1 }),
        expect.objectContaining({ device: 'desktop', clicks: 1, uniqueClicks: 1 }),
      ]),
    );
  });

  it('redirects bots, link-preview fetchers and HEAD requests but never counts them', async () => {
    const link = await createLink(t.app, creator.token, { programId, destinationUrl: 'https://shop.example.com/' });
    for (const ua of [GOOGLEBOT, FACEBOOK_PREVIEW, '']) {
      const res = await visit(`/${link.slug}`, { headers: { 'user-agent': ua } });
      expect(res.status).toBe(302);
    }
    const head = await visit(`/${link.slug}`, { method: 'HEAD' });
    expect(head.status).toBe(302);
    const stored = await clicksOf(link.id);
    expect(stored).toHaveLength(4);
    expect(stored.every((c) => Boolean(c.is_bot) && !c.is_unique)).toBe(true);
    expect(await stats(link.id)).toMatchObject({ clicks: 0, uniqueClicks: 0, botClicks: 4 });
  });

  it('records a scan of the QR code with placement qr', async () => {
    const link = await createLink(t.app, creator.token, {
      programId,
      destinationUrl: 'https://shop.example.com/',
      placement: 'bio',
    });
    const res = await visit(`/${link.slug}?via=qr`);
    expect(new URL(res.headers.get('location') as string).searchParams.has('via')).toBe(false);
    const [click] = await clicksOf(link.id);
    expect(click?.placement).toBe('qr');
  });

  it('answers an unknown slug with a small HTML 404, and an unknown API path with JSON', async () => {
    const res = await visit('/no-such-link');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await res.text()).length).toBeLessThan(2000);
    const api = await visit('/api/v1/nothing-here');
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
    const inject = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(inject.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('never lets a 404 be cached: a link made after its slug was tried works at the next visit', async () => {
    const slug = `later-${Date.now().toString(36)}`;
    const before = await visit(`/${slug}`);
    expect(before.status).toBe(404);
    expect(before.headers.get('cache-control')).toBe('no-store');
    await createLink(t.app, creator.token, { programId, slug, destinationUrl: 'https://shop.example.com/' });
    expect((await visit(`/${slug}`)).status).toBe(302);
  });

  it('answers a path too long to be a slug with the HTML 404, not the API one', async () => {
    for (const path of [`/${'a'.repeat(150)}`, `/krista/${'b'.repeat(120)}?x=1`]) {
      const res = await visit(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const inject = await t.app.inject({ method: 'GET', url: path });
      expect(inject.statusCode).toBe(404);
      expect(inject.headers['content-type']).toMatch(/^text\/html/);
    }
  });

  it('answers a deleted link with 410 at once, even when it was cached', async () => {
    const link = await createLink(t.app, creator.token, { programId, destinationUrl: 'https://shop.example.com/' });
    expect((await visit(`/${link.slug}`)).status).toBe(302); // now cached
    const del = await call(t.app, creator.token, { method: 'DELETE', url: `/api/v1/links/${link.id}` });
    expect(del.statusCode, del.body).toBe(204);
    const gone = await visit(`/${link.slug}`);
    expect(gone.status).toBe(410);
    expect(gone.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await clicksOf(link.id)).toHaveLength(1);
  });

  it('stops a link whose destination is no longer on one of the program allowed domains', async () => {
    const own = (
      await createProgram(t.app, brand.token, {
        ...validProgram,
        name: 'Two shops',
        allowedDomains: ['shop.example.com', 'old-shop.example.org'],
      })
    ).id;
    const member = await approvedCreator(t.app, brand.token, own, 'Eeva');
    const link = await createLink(t.app, member.token, {
      programId: own,
      destinationUrl: 'https://www.old-shop.example.org/leggings',
    });
    expect((await visit(`/${link.slug}`)).status).toBe(302); // now cached
    await setAllowedDomains(t.app, brand.token, own, ['shop.example.com']);
    const gone = await visit(`/${link.slug}`);
    expect(gone.status).toBe(410);
    expect(gone.headers.get('location')).toBeNull();
    await setAllowedDomains(t.app, brand.token, own, ['shop.example.com', 'old-shop.example.org']);
    expect((await visit(`/${link.slug}`)).headers.get('location')).toMatch(/^https:\/\/www\.old-shop\.example\.org\//);
    expect(await clicksOf(link.id)).toHaveLength(2);
  });

  it('answers a disabled or expired link with 410 at once, and a re-enabled one with 302', async () => {
    const link = await createLink(t.app, creator.token, { programId, destinationUrl: 'https://shop.example.com/' });
    expect((await visit(`/${link.slug}`)).status).toBe(302); // now cached
    const patch = (payload: object) =>
      call(t.app, brand.token, { method: 'PATCH', url: `/api/v1/links/${link.id}`, payload });
    expect((await patch({ status: 'disabled' })).statusCode).toBe(200);
    const gone = await visit(`/${link.slug}`);
    expect(gone.status).toBe(410);
    expect(gone.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await patch({ status: 'enabled' })).statusCode).toBe(200);
    expect((await visit(`/${link.slug}`)).status).toBe(302);
    expect((await patch({ expiresAt: '2020-01-01T00:00:00.000Z' })).statusCode).toBe(200);
    expect((await visit(`/${link.slug}`)).status).toBe(410);
    expect(await clicksOf(link.id)).toHaveLength(2);
  });

  it('sends visitors to a new destination the moment it is edited', async () => {
    const link = await createLink(t.app, creator.token, { programId, destinationUrl: 'https://shop.example.com/old' });
    expect((await visit(`/${link.slug}`)).headers.get('location')).toMatch(/^https:\/\/shop\.example\.com\/old\?/);
    await call(t.app, creator.token, {
      method: 'PATCH',
      url: `/api/v1/links/${link.id}`,
      payload: { destinationUrl: 'https://shop.example.com/new' },
    });
    expect((await visit(`/${link.slug}`)).headers.get('location')).toMatch(/^https:\/\/shop\.example\.com\/new\?/);
  });

  it("stops a program's links when the program is archived", async () => {
    const other = (await createProgram(t.app, brand.token, { ...validProgram, name: 'Short-lived' })).id;
    const member = await approvedCreator(t.app, brand.token, other, 'Dana');
    const link = await createLink(t.app, member.token, {
      programId: other,
      destinationUrl: 'https://shop.example.com/',
    });
    expect((await visit(`/${link.slug}`)).status).toBe(302);
    const archived = await call(t.app, brand.token, { method: 'POST', url: `/api/v1/programs/${other}/archive` });
    expect(archived.statusCode, archived.body).toBe(200);
    expect((await visit(`/${link.slug}`)).status).toBe(410);
  });

  it('gives the same answer through Fastify routing (inject) as over the socket', async () => {
    const link = await createLink(t.app, creator.token, { programId, destinationUrl: 'https://shop.example.com/p' });
    const res = await t.app.inject({ method: 'GET', url: `/${link.slug}?x=1`, headers: { 'user-agent': IPHONE } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toMatch(/^https:\/\/shop\.example\.com\/p\?.*x=1.*kclid=clk_/);
    expect(await clicksOf(link.id)).toHaveLength(1);
  });

  it('still sends the visitor on, without a click id, when the click cannot be stored, and stores the next one', async () => {
    const link = await createLink(t.app, creator.token, { programId, destinationUrl: 'https://shop.example.com/p' });
    const db = t.database.handle.db;
    await sql`ALTER TABLE clicks RENAME TO clicks_away`.execute(db);
    let answers: Response[];
    try {
      // Several at once, so that they share a failing batch.
      answers = await Promise.all([1, 2, 3].map(() => visit(`/${link.slug}`)));
    } finally {
      await sql`ALTER TABLE clicks_away RENAME TO clicks`.execute(db);
    }
    for (const res of answers) {
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('https://shop.example.com/p?utm_source=kumppani&utm_medium=creator');
    }
    expect(await clicksOf(link.id)).toHaveLength(0);
    const next = await visit(`/${link.slug}`);
    expect(next.headers.get('location')).toMatch(/kclid=clk_/);
    expect(await clicksOf(link.id)).toHaveLength(1);
  });
});

describe('GET /api/v1/links/{id}/stats', () => {
  it('refuses a day that is not in the calendar, and a range that ends before it starts', async () => {
    const link = await createLink(t.app, creator.token, { programId, destinationUrl: 'https://shop.example.com/' });
    for (const query of ['from=2026-02-30', 'to=2026-13-01', 'from=2026-03-02&to=2026-03-01', 'from=tomorrow']) {
      const res = await call(t.app, creator.token, { method: 'GET', url: `/api/v1/links/${link.id}/stats?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const ok = await call(t.app, creator.token, {
      method: 'GET',
      url: `/api/v1/links/${link.id}/stats?from=2024-02-29&to=2024-02-29`,
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('breaks clicks down by day, country, device and referrer, bots apart', async () => {
    const link = await createLink(t.app, creator.token, { programId, destinationUrl: 'https://shop.example.com/' });
    await visit(`/${link.slug}`, { headers: { 'cf-ipcountry': 'SE', referer: 'https://www.instagram.com/' } });
    await visit(`/${link.slug}`, { headers: { 'cf-ipcountry': 'SE', 'user-agent': DESKTOP_CHROME } });
    await visit(`/${link.slug}`, { headers: { 'cf-ipcountry': 'US', 'user-agent': GOOGLEBOT } });
    const s = await stats(link.id);
    expect(s).toMatchObject({ clicks: 2, uniqueClicks: 2, botClicks: 1 });
    expect(s.byDay).toEqual([expect.objectContaining({ day: '2026-11-02', clicks: 2, uniqueClicks: 2, botClicks: 1 })]);
    expect(s.byCountry).toEqual([
      expect.objectContaining({ country: 'SE', clicks: 2 }),
      expect.objectContaining({ country: 'US', clicks: 0, botClicks: 1 }),
    ]);
    expect(s.byReferrer).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ referrer: 'instagram.com', clicks: 1 }),
        expect.objectContaining({ referrer: 'direct', clicks: 1 }),
      ]),
    );
  });
});
