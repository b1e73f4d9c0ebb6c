import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvedCreator,
  type Brand,
  type CreatorAccount,
  call,
  createLink,
  createProgram,
  setAllowedDomains,
  signupBrand,
  signupCreator,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

let t: TestApp;
let brand: Brand;
let programId: string;
let creator: CreatorAccount;
beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app, 'Aino');
  programId = (await createProgram(t.app, brand.token, { ...validProgram, utmDefaults: { source: 'kumppani' } })).id;
  creator = await approvedCreator(t.app, brand.token, programId, 'Krista');
});
afterAll(async () => {
  await t?.close();
});

const post = (token: string, payload: object) => call(t.app, token, { method: 'POST', url: '/api/v1/links', payload });
const linkCount = async () =>
  Number(
    (
      await t.database.handle.db
        .selectFrom('links')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const expectError = (res: { statusCode: number; body: string }, status: number, code: string) => {
  expect(res.statusCode, res.body).toBe(status);
  expect(JSON.parse(res.body).error.code).toBe(code);
};

describe('creating links', () => {
  it('lets a brand link its approved creator, with a short unambiguous generated slug', async () => {
    const link = await createLink(t.app, brand.token, {
      programId,
      creatorId: creator.creatorId,
      destinationUrl: 'https://shop.example.com/leggings?color=black#sizes',
      placement: 'bio',
    });
    expect(link.id).toMatch(/^lnk_/);
    expect(link.slug).toMatch(/^[abcdefghjkmnpqrstuvwxyz23456789]{7}$/);
    expect(link.shortUrl).toBe(`${t.config.publicUrl}/${link.slug}`);
    expect(link.creatorId).toBe(creator.creatorId);
  });

  it('lets a creator link itself with a nested vanity slug and a deep link on a subdomain', async () => {
    const link = await createLink(t.app, creator.token, {
      programId,
      slug: 'krista/tiktok-0412',
      destinationUrl: 'https://www.shop.example.com/products/synergy-leggings',
      placement: 'caption',
    });
    expect(link.slug).toBe('krista/tiktok-0412');
    expect(link.creatorId).toBe(creator.creatorId);
  });

  it('refuses a creator who is not approved in the program', async () => {
    const stranger = await signupCreator(t.app, 'Stranger');
    // Not enrolled at all: the program is not the creator's to see.
    expectError(
      await post(stranger.token, { programId, destinationUrl: 'https://shop.example.com/' }),
      404,
      'NOT_FOUND',
    );
    // Applied but not yet approved: told why.
    const applied = await call(t.app, stranger.token, {
      method: 'POST',
      url: `/api/v1/programs/${programId}/enrollments`,
      payload: {},
    });
    expect(applied.statusCode, applied.body).toBe(201);
    expectError(
      await post(stranger.token, { programId, destinationUrl: 'https://shop.example.com/' }),
      422,
      'CREATOR_NOT_APPROVED',
    );
    expectError(
      await post(brand.token, {
        programId,
        creatorId: stranger.creatorId,
        destinationUrl: 'https://shop.example.com/',
      }),
      422,
      'CREATOR_NOT_APPROVED',
    );
  });

  it('refuses a brand link without a creator', async () => {
    const res = await post(brand.token, { programId, destinationUrl: 'https://shop.example.com/' });
    expect(res.statusCode).toBe(400);
  });

  it("does not let another brand link into this brand's program", async () => {
    const other = await signupBrand(t.app, 'Other');
    const res = await post(other.token, {
      programId,
      creatorId: creator.creatorId,
      destinationUrl: 'https://shop.example.com/',
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('bad slugs are refused and nothing is stored', () => {
  const cases: [string, number, string][] = [
    ['with space', 400, 'INVALID_SLUG'],
    ['Krista', 400, 'INVALID_SLUG'],
    ['KRISTA/tiktok', 400, 'INVALID_SLUG'],
    ['kristа', 400, 'INVALID_SLUG'], // Cyrillic а
    ['krіsta', 400, 'INVALID_SLUG'], // Ukrainian і
    ['krista/../admin', 400, 'INVALID_SLUG'],
    ['../etc/passwd', 400, 'INVALID_SLUG'],
    ['krista//x', 400, 'INVALID_SLUG'],
    ['/krista', 400, 'INVALID_SLUG'],
    ['krista/', 400, 'INVALID_SLUG'],
    ['krista%2fx', 400, 'INVALID_SLUG'],
    ['krista\u200b', 400, 'INVALID_SLUG'], // zero-width space
    ['', 400, 'INVALID_SLUG'],
    ['a'.repeat(101), 400, 'INVALID_SLUG'],
    ['api', 409, 'SLUG_RESERVED'],
    ['api/v1/links', 409, 'SLUG_RESERVED'],
    ['docs', 409, 'SLUG_RESERVED'],
    ['app', 409, 'SLUG_RESERVED'],
    ['healthz', 409, 'SLUG_RESERVED'],
    ['k.js', 409, 'SLUG_RESERVED'],
    ['@krista', 409, 'SLUG_RESERVED'],
  ];
  it.each(cases)('slug %j → %s %s', async (slug, status, code) => {
    const before = await linkCount();
    expectError(
      await post(creator.token, { programId, slug, destinationUrl: 'https://shop.example.com/' }),
      status,
      code,
    );
    expect(await linkCount()).toBe(before);
  });

  it('refuses a taken slug with 409, whoever holds it', async () => {
    await createLink(t.app, creator.token, {
      programId,
      slug: 'krista-summer',
      destinationUrl: 'https://shop.example.com/',
    });
    const before = await linkCount();
    expectError(
      await post(brand.token, {
        programId,
        creatorId: creator.creatorId,
        slug: 'krista-summer',
        destinationUrl: 'https://shop.example.com/',
      }),
      409,
      'SLUG_TAKEN',
    );
    expect(await linkCount()).toBe(before);
  });
});

describe('bad destinations are refused and nothing is stored', () => {
  const cases: [string, string, number, string][] = [
    ['javascript:', 'javascript:alert(1)', 400, 'INVALID_DESTINATION'],
    ['data:', 'data:text/html,<script>alert(1)</script>', 400, 'INVALID_DESTINATION'],
    ['ftp', 'ftp://shop.example.com/file', 400, 'INVALID_DESTINATION'],
    ['credentials', 'https://user:pass@shop.example.com/', 400, 'INVALID_DESTINATION'],
    ['not a URL', 'shop.example.com/leggings', 400, 'INVALID_DESTINATION'],
    ['over 2,048 characters', `https://shop.example.com/${'a'.repeat(2040)}`, 400, 'INVALID_DESTINATION'],
    ['over 2,048 characters once encoded', `https://shop.example.com/${'ä'.repeat(1000)}`, 400, 'INVALID_DESTINATION'],
    ['disallowed host', 'https://evil.example.net/', 422, 'DESTINATION_NOT_ALLOWED'],
    ['allowed name as a prefix', 'https://shop.example.com.evil.net/', 422, 'DESTINATION_NOT_ALLOWED'],
    ['allowed name inside another', 'https://notshop.example.com/', 422, 'DESTINATION_NOT_ALLOWED'],
    ['punycode look-alike', 'https://xn--shp-8cd.example.com/', 422, 'DESTINATION_NOT_ALLOWED'],
    ['Unicode look-alike', 'https://shоp.example.com/', 422, 'DESTINATION_NOT_ALLOWED'], // Cyrillic о
    ['parent of the allowed host', 'https://example.com/', 422, 'DESTINATION_NOT_ALLOWED'],
    ['IP address', 'http://127.0.0.1/', 422, 'DESTINATION_NOT_ALLOWED'],
  ];
  it.each(cases)('%s → %s %s', async (_name, destinationUrl, status, code) => {
    const before = await linkCount();
    expectError(await post(creator.token, { programId, destinationUrl }), status, code);
    expect(await linkCount()).toBe(before);
  });
});

describe('changing a link', () => {
  it('keeps the history of its destinations', async () => {
    const link = await createLink(t.app, creator.token, { programId, destinationUrl: 'https://shop.example.com/a' });
    const patch = await call(t.app, brand.token, {
      method: 'PATCH',
      url: `/api/v1/links/${link.id}`,
      payload: { destinationUrl: 'https://shop.example.com/b' },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(patch.json().destinationUrl).toBe('https://shop.example.com/b');
    const read = await call(t.app, creator.token, { method: 'GET', url: `/api/v1/links/${link.id}` });
    expect(read.json().history.map((h: { destinationUrl: string }) => h.destinationUrl)).toEqual([
      'https://shop.example.com/a',
      'https://shop.example.com/b',
    ]);
  });

  it('refuses a disallowed new destination and leaves the link as it was', async () => {
    const link = await createLink(t.app, creator.token, { programId, destinationUrl: 'https://shop.example.com/a' });
    const patch = await call(t.app, creator.token, {
      method: 'PATCH',
      url: `/api/v1/links/${link.id}`,
      payload: { destinationUrl: 'https://evil.example.net/', placement: 'story' },
    });
    expectError(patch, 422, 'DESTINATION_NOT_ALLOWED');
    const read = await call(t.app, creator.token, { method: 'GET', url: `/api/v1/links/${link.id}` });
    expect(read.json().destinationUrl).toBe('https://shop.example.com/a');
    expect(read.json().placement).toBe('other');
    expect(read.json().history).toHaveLength(1);
  });

  /** A program of its own with one approved creator and that creator's link, and a PATCH of the link. */
  async function ownLink(program: object, creatorName: string, destinationUrl = 'https://shop.example.com/a') {
    const programId = (await createProgram(t.app, brand.token, { ...validProgram, ...program })).id;
    const member = await approvedCreator(t.app, brand.token, programId, creatorName);
    const link = await createLink(t.app, member.token, { programId, destinationUrl });
    const patch = (token: string, payload: object) =>
      call(t.app, token, { method: 'PATCH', url: `/api/v1/links/${link.id}`, payload });
    return { programId, member, link, patch };
  }

  it('lets a link be switched off, but not otherwise changed, once its creator is suspended', async () => {
    const { member, link, patch } = await ownLink({ name: 'Suspensions' }, 'Sini');
    const suspend = await call(t.app, brand.token, {
      method: 'PATCH',
      url: `/api/v1/enrollments/${member.enrollmentId}`,
      payload: { status: 'suspended', reason: 'Fake followers' },
    });
    expect(suspend.statusCode, suspend.body).toBe(200);
    expectError(
      await patch(member.token, { destinationUrl: 'https://shop.example.com/b' }),
      422,
      'CREATOR_NOT_APPROVED',
    );
    expectError(await patch(brand.token, { placement: 'bio' }), 422, 'CREATOR_NOT_APPROVED');
    const off = await patch(member.token, { status: 'disabled' });
    expect(off.statusCode, off.body).toBe(200);
    expectError(await patch(brand.token, { status: 'enabled' }), 422, 'CREATOR_NOT_APPROVED');
    const read = await call(t.app, brand.token, { method: 'GET', url: `/api/v1/links/${link.id}` });
    expect(read.json()).toMatchObject({
      destinationUrl: 'https://shop.example.com/a',
      placement: 'other',
      status: 'disabled',
    });
    expect(read.json().history).toHaveLength(1);
  });

  it('asks for an allowed destination before any other change once the program has dropped the domain', async () => {
    const own = await ownLink(
      { name: 'Dropped domain', allowedDomains: ['shop.example.com', 'old-shop.example.org'] },
      'Ulla',
      'https://old-shop.example.org/a',
    );
    await setAllowedDomains(t.app, brand.token, own.programId, ['shop.example.com']);
    const patch = (payload: object) => own.patch(own.member.token, payload);
    expectError(await patch({ placement: 'bio' }), 422, 'DESTINATION_NOT_ALLOWED');
    expectError(await patch({ status: 'enabled' }), 422, 'DESTINATION_NOT_ALLOWED');
    expect((await patch({ status: 'disabled' })).statusCode).toBe(200);
    const moved = await patch({ destinationUrl: 'https://shop.example.com/a', status: 'enabled' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ destinationUrl: 'https://shop.example.com/a', status: 'enabled' });
  });

  it('lets a link in an archived program be switched off or deleted, and nothing else', async () => {
    const own = await ownLink({ name: 'Archived soon' }, 'Tuuli');
    const link = own.link;
    const archived = await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${own.programId}/archive`,
    });
    expect(archived.statusCode, archived.body).toBe(200);
    const patch = (payload: object) => own.patch(brand.token, payload);
    expectError(await patch({ destinationUrl: 'https://shop.example.com/b' }), 422, 'PROGRAM_ARCHIVED');
    expectError(await patch({ expiresAt: null, status: 'disabled' }), 422, 'PROGRAM_ARCHIVED');
    expect((await patch({ status: 'disabled' })).statusCode).toBe(200);
    const del = await call(t.app, brand.token, { method: 'DELETE', url: `/api/v1/links/${link.id}` });
    expect(del.statusCode, del.body).toBe(204);
  });

  it('lists a creator its own links and a brand its workspace links, filtered by program', async () => {
    const mine = await call(t.app, creator.token, {
      method: 'GET',
      url: `/api/v1/links?programId=${programId}&limit=200`,
    });
    expect(mine.statusCode).toBe(200);
    const ids = mine.json().data.map((l: { creatorId: string }) => l.creatorId);
    expect(ids.length).toBeGreaterThan(2);
    expect(new Set(ids)).toEqual(new Set([creator.creatorId]));
    const theirs = await call(t.app, brand.token, { method: 'GET', url: '/api/v1/links?limit=2' });
    expect(theirs.json().data).toHaveLength(2);
    expect(theirs.json().nextCursor).toBeTruthy();
  });

  it('deletes a link: it is gone from reads and its slug stays taken', async () => {
    const link = await createLink(t.app, creator.token, {
      programId,
      slug: 'krista-gone',
      destinationUrl: 'https://shop.example.com/',
    });
    const del = await call(t.app, creator.token, { method: 'DELETE', url: `/api/v1/links/${link.id}` });
    expect(del.statusCode).toBe(204);
    expect((await call(t.app, creator.token, { method: 'GET', url: `/api/v1/links/${link.id}` })).statusCode).toBe(404);
    expectError(
      await post(creator.token, { programId, slug: 'krista-gone', destinationUrl: 'https://shop.example.com/' }),
      409,
      'SLUG_TAKEN',
    );
  });
});

describe('QR codes', () => {
  it('draws the short URL as SVG and PNG, in the size asked for', async () => {
    const link = await createLink(t.app, creator.token, { programId, destinationUrl: 'https://shop.example.com/' });
    const svg = await call(t.app, creator.token, { method: 'GET', url: `/api/v1/links/${link.id}/qr?format=svg` });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body).toMatch(/^<svg/);
    const png = await call(t.app, creator.token, {
      method: 'GET',
      url: `/api/v1/links/${link.id}/qr?format=png&size=300`,
    });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    const bytes = png.rawPayload;
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(300); // width in the IHDR chunk
    const bad = await call(t.app, creator.token, { method: 'GET', url: `/api/v1/links/${link.id}/qr?format=gif` });
    expect(bad.statusCode).toBe(400);
    const huge = await call(t.app, creator.token, { method: 'GET', url: `/api/v1/links/${link.id}/qr?size=100000` });
    expect(huge.statusCode).toBe(400);
  });
});
