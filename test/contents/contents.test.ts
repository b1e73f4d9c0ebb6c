import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvedCreator,
  type Brand,
  type CreatorAccount,
  call,
  createLink,
  createProgram,
  signupBrand,
  signupCreator,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

let t: TestApp;
let brand: Brand;
let creator: CreatorAccount;
let programId: string;
beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app, 'Aino');
  programId = (await createProgram(t.app, brand.token, validProgram)).id;
  creator = await approvedCreator(t.app, brand.token, programId, 'Krista');
});
afterAll(async () => {
  await t?.close();
});

const post = (token: string, payload: object) =>
  call(t.app, token, { method: 'POST', url: '/api/v1/contents', payload });
const video = (n: number) => ({
  platform: 'tiktok',
  url: `https://www.tiktok.com/@kristaruns/video/74123456789012345${n}`,
  title: 'Morning routine',
  postedAt: '2026-11-04T18:00:00.000Z',
});

describe('contents', () => {
  it('lets a creator register a video and link to it, one link per placement', async () => {
    const res = await post(creator.token, video(1));
    expect(res.statusCode, res.body).toBe(201);
    const content = res.json();
    expect(content).toMatchObject({
      id: expect.stringMatching(/^cnt_/),
      creatorId: creator.creatorId,
      platform: 'tiktok',
    });
    for (const placement of ['caption', 'comment', 'qr']) {
      await createLink(t.app, creator.token, {
        programId,
        destinationUrl: 'https://shop.example.com/',
        contentId: content.id,
        placement,
        slug: `krista/tiktok-1104-${placement}`,
      });
    }
    const links = await call(t.app, brand.token, { method: 'GET', url: `/api/v1/links?contentId=${content.id}` });
    expect(links.json().data).toHaveLength(3);
    // The brand sees the videos of creators in its programs.
    const seen = await call(t.app, brand.token, { method: 'GET', url: `/api/v1/contents/${content.id}` });
    expect(seen.statusCode).toBe(200);
    const listed = await call(t.app, brand.token, { method: 'GET', url: '/api/v1/contents' });
    expect(listed.json().data.map((c: { id: string }) => c.id)).toContain(content.id);
  });

  it('refuses addresses off the platform, without https or with credentials, and the same video twice', async () => {
    for (const url of [
      'https://evil.example.net/@kristaruns/video/1',
      'http://www.tiktok.com/@kristaruns/video/1',
      'https://user:pw@www.tiktok.com/@kristaruns/video/1',
      'https://tiktok.com.evil.net/video/1',
      'not a url',
    ]) {
      const res = await post(creator.token, { platform: 'tiktok', url });
      expect(res.statusCode, url).toBe(422);
      expect(res.json().error.code).toBe('INVALID_CONTENT');
    }
    expect((await post(creator.token, { platform: 'youtube', url: 'https://youtu.be/dQw4w9WgXcQ' })).statusCode).toBe(
      201,
    );
    expect((await post(creator.token, video(2))).statusCode).toBe(201);
    const again = await post(creator.token, video(2));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CONTENT_EXISTS');
    expect((await post(brand.token, video(3))).statusCode).toBe(403);
  });

  it("refuses a link to another creator's video", async () => {
    const other = await approvedCreator(t.app, brand.token, programId, 'Dana');
    const theirs = (await post(other.token, video(4))).json();
    const res = await call(t.app, creator.token, {
      method: 'POST',
      url: '/api/v1/links',
      payload: { programId, destinationUrl: 'https://shop.example.com/', contentId: theirs.id },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('INVALID_CONTENT');
    const read = await call(t.app, creator.token, { method: 'GET', url: `/api/v1/contents/${theirs.id}` });
    expect(read.statusCode).toBe(404);
  });

  it("hides an invited creator's videos from the brand until the creator accepts", async () => {
    const invited = await signupCreator(t.app, 'Invited');
    const theirs = (await post(invited.token, video(6))).json();
    const invitation = await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${programId}/enrollments`,
      payload: { creatorEmail: invited.email },
    });
    expect(invitation.statusCode, invitation.body).toBe(201);
    const read = () => call(t.app, brand.token, { method: 'GET', url: `/api/v1/contents/${theirs.id}` });
    expect((await read()).statusCode).toBe(404);
    const listed = await call(t.app, brand.token, {
      method: 'GET',
      url: `/api/v1/contents?creatorId=${invited.creatorId}`,
    });
    expect(listed.json().data).toEqual([]);
    const accepted = await call(t.app, invited.token, {
      method: 'PATCH',
      url: `/api/v1/enrollments/${invitation.json().id}`,
      payload: { status: 'approved' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect((await read()).statusCode).toBe(200);
  });

  it('keeps links working when their video is removed', async () => {
    const content = (await post(creator.token, video(5))).json();
    const link = await createLink(t.app, creator.token, {
      programId,
      destinationUrl: 'https://shop.example.com/',
      contentId: content.id,
    });
    const del = await call(t.app, creator.token, { method: 'DELETE', url: `/api/v1/contents/${content.id}` });
    expect(del.statusCode).toBe(204);
    const read = await call(t.app, creator.token, { method: 'GET', url: `/api/v1/links/${link.id}` });
    expect(read.json().contentId).toBeNull();
    expect((await t.app.inject({ method: 'GET', url: `/${link.slug}` })).statusCode).toBe(302);
    const stranger = await signupCreator(t.app, 'Stranger');
    expect((await call(t.app, stranger.token, { method: 'GET', url: '/api/v1/contents' })).json().data).toEqual([]);
  });
});
