import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SCRIPT_HASH } from '../../src/bio/render.js';
import { PAGE_CACHE_MS } from '../../src/bio/service.js';
import { fixedClock } from '../../src/shared/clock.js';
import {
  approvedCreator,
  type Brand,
  type CreatorAccount,
  call,
  createCode,
  createLink,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
// As TikTok's and Instagram's apps on iOS send it.
const TIKTOK_APP =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 musical_ly_34.1.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/FI BytedanceWebview/d8a21c6';
const INSTAGRAM_APP =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 334.0.4.32.98 (iPhone15,2; iOS 17_5; fi_FI; fi; scale=3.00; 1179x2556; 604950734)';

/**
 * One server for the file; each test builds its own world in it (a program, a creator with a
 * page of its own handle, another creator, links, a video and a code), so that no test leans on
 * what another did and the tests pass in any order.
 */
const clock = fixedClock(new Date('2026-12-07T08:00:00.000Z'));
let t: TestApp;
let brand: Brand;
let worlds = 0;

beforeAll(async () => {
  t = await startTestApp({ clock });
  brand = await signupBrand(t.app, 'Aino');
});
afterAll(async () => {
  await t?.close();
});

interface World {
  brand: Brand;
  programId: string;
  creator: CreatorAccount;
  other: CreatorAccount;
  leggings: { id: string; slug: string };
  bottle: { id: string; slug: string };
  othersLink: { id: string };
  videoId: string;
  videoLink: { id: string; slug: string };
  codeId: string;
  /** The creator's own handle, e.g. krista.fit3. */
  handle: string;
}

/**
 * A creator's world; with `page`, the creator's page as a creator would leave it: the bottle,
 * then the leggings.
 */
async function world({ page = false } = {}): Promise<World> {
  worlds += 1;
  const programId = (await createProgram(t.app, brand.token, validProgram)).id;
  const creator = await approvedCreator(t.app, brand.token, programId, 'Krista');
  const other = await approvedCreator(t.app, brand.token, programId, 'Other');
  const leggings = await createLink(t.app, creator.token, {
    programId,
    destinationUrl: 'https://shop.example.com/leggings',
    placement: 'caption',
  });
  const bottle = await createLink(t.app, creator.token, {
    programId,
    destinationUrl: 'https://shop.example.com/bottle',
  });
  const othersLink = await createLink(t.app, other.token, { programId, destinationUrl: 'https://shop.example.com/' });
  const video = await call(t.app, creator.token, {
    method: 'POST',
    url: '/api/v1/contents',
    payload: { platform: 'tiktok', url: 'https://www.tiktok.com/@krista/video/7301', title: 'Morning run' },
  });
  expect(video.statusCode, video.body).toBe(201);
  const videoId = video.json().id;
  const videoLink = await createLink(t.app, creator.token, {
    programId,
    destinationUrl: 'https://shop.example.com/shoes',
    contentId: videoId,
  });
  const codeId = (
    await createCode(t.app, brand.token, programId, {
      creatorId: creator.creatorId,
      code: 'KRISTA20',
      discount: { type: 'percent', bps: 2000 },
    })
  ).id;
  const w = {
    brand,
    programId,
    creator,
    other,
    leggings,
    bottle,
    othersLink,
    videoId,
    videoLink,
    codeId,
    handle: `krista.fit${worlds}`,
  };
  if (page) {
    const res = await put(creator.token, {
      ...krista,
      handle: w.handle,
      links: [
        { linkId: bottle.id, label: 'The bottle I carry' },
        { linkId: leggings.id, label: 'My leggings' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  return w;
}

const put = (token: string, payload: object) =>
  call(t.app, token, { method: 'PUT', url: '/api/v1/creators/me/bio', payload });
const page = (path: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url: path, headers: { 'user-agent': IPHONE, ...headers } });
const errorOf = (res: { body: string }) => JSON.parse(res.body).error;

const krista = {
  handle: 'krista.fit',
  title: 'Krista — running & recovery',
  bio: 'Trail runner from Oulu. What I use, honestly.',
  avatarUrl: 'https://cdn.example.com/krista.jpg',
  theme: { background: '#101820', text: '#f2f2f2', button: '#fee715', buttonText: '#101820' },
};

describe('PUT /api/v1/creators/me/bio', () => {
  it('creates the page with 201, then replaces it with 200, links in the order given', async () => {
    const w = await world();
    const first = await put(w.creator.token, {
      ...krista,
      handle: w.handle,
      links: [{ linkId: w.leggings.id, label: 'My leggings' }],
    });
    expect(first.statusCode, first.body).toBe(201);
    const second = await put(w.creator.token, {
      ...krista,
      handle: w.handle,
      links: [
        { linkId: w.bottle.id, label: 'The bottle I carry' },
        { linkId: w.leggings.id, label: 'My leggings' },
      ],
    });
    expect(second.statusCode, second.body).toBe(200);
    const body = second.json();
    expect(body.url).toBe(`${t.config.publicUrl}/@${w.handle}`);
    expect(body.links.map((l: { linkId: string; live: boolean }) => [l.linkId, l.live])).toEqual([
      [w.bottle.id, true],
      [w.leggings.id, true],
    ]);
    expect(body.createdAt).toBe(first.json().createdAt);
  });

  it('gives the creator its page back on GET', async () => {
    const w = await world({ page: true });
    const res = await call(t.app, w.creator.token, { method: 'GET', url: '/api/v1/creators/me/bio' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ handle: w.handle, title: krista.title, theme: krista.theme });
  });

  it('answers 404 on GET for a creator without a page', async () => {
    const w = await world();
    const res = await call(t.app, w.other.token, { method: 'GET', url: '/api/v1/creators/me/bio' });
    expect(res.statusCode).toBe(404);
  });

  it("refuses another creator's handle with 409 HANDLE_TAKEN", async () => {
    const w = await world({ page: true });
    const res = await put(w.other.token, { handle: w.handle, title: 'Copycat', links: [] });
    expect(res.statusCode, res.body).toBe(409);
    expect(errorOf(res).code).toBe('HANDLE_TAKEN');
  });

  it("refuses another creator's link with 422 BIO_LINK_UNKNOWN naming the field, and keeps the page as it was", async () => {
    const w = await world({ page: true });
    const res = await put(w.creator.token, {
      ...krista,
      handle: w.handle,
      links: [
        { linkId: w.leggings.id, label: 'Mine' },
        { linkId: w.othersLink.id, label: 'Not mine' },
      ],
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(errorOf(res)).toMatchObject({ code: 'BIO_LINK_UNKNOWN', fields: [{ path: 'body.links.1.linkId' }] });
    const now = await call(t.app, w.creator.token, { method: 'GET', url: '/api/v1/creators/me/bio' });
    expect(now.json().links).toHaveLength(2);
  });

  it('refuses a colour that is not #rrggbb with 400 naming the field', async () => {
    const w = await world();
    const res = await put(w.creator.token, {
      ...krista,
      handle: w.handle,
      theme: { ...krista.theme, background: 'red;}body{display:none' },
      links: [],
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(errorOf(res).fields[0].path).toContain('theme.background');
  });

  it('refuses an avatar that is not https', async () => {
    const w = await world();
    const res = await put(w.creator.token, {
      ...krista,
      handle: w.handle,
      avatarUrl: 'javascript:alert(1)',
      links: [],
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(errorOf(res).fields).toEqual([{ path: 'body.avatarUrl', message: 'use an https address' }]);
  });

  it('refuses a handle with capitals or symbols', async () => {
    const w = await world();
    const res = await put(w.creator.token, { ...krista, handle: 'Krista!', links: [] });
    expect(res.statusCode, res.body).toBe(400);
    expect(errorOf(res).code).toBe('VALIDATION_FAILED');
  });

  it('refuses a brand with 403', async () => {
    const w = await world();
    const res = await put(w.brand.token, { ...krista, handle: w.handle, links: [] });
    expect(res.statusCode).toBe(403);
  });
});

describe('GET /@{handle}', () => {
  it('renders the title, bio, avatar and links through the redirect with placement bio, in order', async () => {
    const w = await world({ page: true });
    const res = await page(`/@${w.handle}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<h1>Krista — running &amp; recovery</h1>');
    expect(res.body).toContain('<img class="a" src="https://cdn.example.com/krista.jpg"');
    const hrefs = [...res.body.matchAll(/<a class="l" href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual([`/${w.bottle.slug}?via=bio`, `/${w.leggings.slug}?via=bio`]);
  });

  it('stays under 15 KB', async () => {
    const w = await world({ page: true });
    const res = await page(`/@${w.handle}`);
    expect(Buffer.byteLength(res.body)).toBeLessThan(15 * 1024);
  });

  it('labels every link as an affiliate link in English by default', async () => {
    const w = await world({ page: true });
    const res = await page(`/@${w.handle}`);
    expect(res.body.match(/Affiliate link — I earn a commission/g)).toHaveLength(2);
    expect(res.body).toContain('<html lang="en">');
  });

  it('speaks Finnish to a visitor whose browser prefers it', async () => {
    const w = await world({ page: true });
    const res = await page(`/@${w.handle}`, { 'accept-language': 'fi-FI,fi;q=0.9,en;q=0.8' });
    expect(res.body).toContain('<html lang="fi">');
    expect(res.body.match(/Mainoslinkki – saan ostoista provisiota/g)).toHaveLength(2);
    expect(res.body).toContain('alennus 20');
  });

  it("keeps the creator's chosen language whatever the visitor's browser asks", async () => {
    const w = await world({ page: true });
    await put(w.creator.token, {
      ...krista,
      handle: w.handle,
      language: 'fi',
      links: [{ linkId: w.leggings.id, label: 'Trikoot' }],
    });
    const res = await page(`/@${w.handle}`, { 'accept-language': 'en-US,en;q=0.9' });
    expect(res.body).toContain('<html lang="fi">');
    await put(w.creator.token, {
      ...krista,
      handle: w.handle,
      language: 'auto',
      links: [
        { linkId: w.bottle.id, label: 'The bottle I carry' },
        { linkId: w.leggings.id, label: 'My leggings' },
      ],
    });
  });

  it('shows the coupon code as selectable text with a copy button that only the script reveals', async () => {
    const w = await world({ page: true });
    const res = await page(`/@${w.handle}`);
    expect(res.body).toContain('<b>KRISTA20</b> · 20% off');
    expect(res.body).toMatch(/<button type="button" hidden data-copy="KRISTA20" data-code="cpn_/);
  });

  it('sends a policy that allows only its own script and style sheet, by their hashes', async () => {
    const w = await world({ page: true });
    const res = await page(`/@${w.handle}`);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain(`script-src '${PAGE_SCRIPT_HASH}'`);
    const style = /<style>([^<]*)<\/style>/.exec(res.body)?.[1] ?? '';
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('carries Open Graph tags for link previews', async () => {
    const w = await world({ page: true });
    const res = await page(`/@${w.handle}`);
    expect(res.body).toContain('<meta property="og:title" content="Krista — running &amp; recovery">');
    expect(res.body).toContain(`<meta property="og:url" content="${t.config.publicUrl}/@${w.handle}">`);
    expect(res.body).toContain('<meta property="og:image" content="https://cdn.example.com/krista.jpg">');
  });

  it("tells a visitor in TikTok's in-app browser how to open the page in their browser", async () => {
    const w = await world({ page: true });
    const res = await page(`/@${w.handle}`, { 'user-agent': TIKTOK_APP });
    expect(res.body).toContain('TikTok’s browser');
    expect(res.body).toContain(`data-copy="${t.config.publicUrl}/@${w.handle}"`);
  });

  it("tells a visitor in Instagram's in-app browser, in Finnish when asked", async () => {
    const w = await world({ page: true });
    const res = await page(`/@${w.handle}`, { 'user-agent': INSTAGRAM_APP, 'accept-language': 'fi' });
    expect(res.body).toContain('Olet Instagramin selaimessa');
  });

  it('shows no in-app guidance to an ordinary browser', async () => {
    const w = await world({ page: true });
    const res = await page(`/@${w.handle}`);
    expect(res.body).not.toContain('role="note"');
  });

  it('finds the page whatever the case of the handle typed', async () => {
    const w = await world({ page: true });
    expect((await page(`/@${w.handle.replace('krista.fit', 'Krista.FIT')}`)).statusCode).toBe(200);
  });

  it('answers an unknown handle with a 404 page', async () => {
    const res = await page('/@nobody.here');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page not found');
  });

  it('leaves out a link that was switched off, once the rendered page has expired', async () => {
    const w = await world({ page: true });
    const off = await call(t.app, w.creator.token, {
      method: 'PATCH',
      url: `/api/v1/links/${w.bottle.id}`,
      payload: { status: 'disabled' },
    });
    expect(off.statusCode, off.body).toBe(200);
    clock.advance(PAGE_CACHE_MS + 1);
    const res = await page(`/@${w.handle}`);
    expect(res.body).not.toContain(w.bottle.slug);
    const api = await call(t.app, w.creator.token, { method: 'GET', url: '/api/v1/creators/me/bio' });
    expect(api.json().links[0]).toMatchObject({ linkId: w.bottle.id, live: false });
    await call(t.app, w.creator.token, {
      method: 'PATCH',
      url: `/api/v1/links/${w.bottle.id}`,
      payload: { status: 'enabled' },
    });
  });
});

describe('a tap on a bio link', () => {
  it('is recorded with placement bio whatever the link was made for', async () => {
    const w = await world();
    const res = await t.app.inject({
      method: 'GET',
      url: `/${w.leggings.slug}?via=bio`,
      headers: { 'user-agent': IPHONE },
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).not.toContain('via=');
    const clicks = await t.database.handle.db
      .selectFrom('clicks')
      .selectAll()
      .where('link_id', '=', w.leggings.id)
      .execute();
    expect(clicks.map((c) => c.placement)).toEqual(['bio']);
  });
});

describe('GET /@{handle}/v/{contentId}', () => {
  it("lists just that video's links, through the redirect with placement bio", async () => {
    const w = await world({ page: true });
    const res = await page(`/@${w.handle}/v/${w.videoId}`);
    expect(res.statusCode).toBe(200);
    const hrefs = [...res.body.matchAll(/<a class="l" href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual([`/${w.videoLink.slug}?via=bio`]);
    expect(res.body).toContain('Products in this video');
    expect(res.body).toContain('Morning run');
  });

  it('records the tap with the video it came from', async () => {
    const w = await world({ page: true });
    await t.app.inject({ method: 'GET', url: `/${w.videoLink.slug}?via=bio`, headers: { 'user-agent': IPHONE } });
    const clicks = await t.database.handle.db
      .selectFrom('clicks')
      .selectAll()
      .where('link_id', '=', w.videoLink.id)
      .execute();
    expect(clicks.map((c) => [c.placement, c.content_id])).toEqual([['bio', w.videoId]]);
  });

  it("answers 404 for a video that is not the creator's", async () => {
    const w = await world({ page: true });
    expect((await page(`/@${w.handle}/v/cnt_01HZZZZZZZZZZZZZZZZZZZZZZZ`)).statusCode).toBe(404);
  });
});

describe('copying a code', () => {
  it('counts each copy of a code shown on the page', async () => {
    const w = await world({ page: true });
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({ method: 'POST', url: `/@${w.handle}/copies`, payload: { codeId: w.codeId } });
      expect(res.statusCode, res.body).toBe(204);
    }
    const api = await call(t.app, w.creator.token, { method: 'GET', url: '/api/v1/creators/me/bio' });
    expect(api.json().codeCopies).toEqual([{ codeId: w.codeId, code: 'KRISTA20', copies: 2 }]);
  });

  it("refuses to count a code that is not the page's creator's", async () => {
    const w = await world({ page: true });
    const theirs = await createCode(t.app, w.brand.token, w.programId, {
      creatorId: w.other.creatorId,
      discount: { type: 'percent', bps: 1000 },
    });
    const res = await t.app.inject({ method: 'POST', url: `/@${w.handle}/copies`, payload: { codeId: theirs.id } });
    expect(res.statusCode).toBe(404);
  });
});

describe('on a listening server', () => {
  it('serves /@handle as the bio page, not as a link slug', async () => {
    const w = await world({ page: true });
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${base}/@${w.handle}`, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<h1>Krista — running &amp; recovery</h1>');
  });
});
