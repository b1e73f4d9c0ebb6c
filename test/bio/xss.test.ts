import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/bio/render.js';
import {
  approvedCreator,
  type CreatorAccount,
  call,
  createLink,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';
import { badColours, badHandles, xssPayloads } from './xss-corpus.js';

let t: TestApp;
let creator: CreatorAccount;
const linkIds: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const brand = await signupBrand(t.app, 'Aino');
  const programId = (await createProgram(t.app, brand.token, validProgram)).id;
  creator = await approvedCreator(t.app, brand.token, programId, 'Krista');
  for (let i = 0; i < 3; i++) {
    linkIds.push(
      (await createLink(t.app, creator.token, { programId, destinationUrl: `https://shop.example.com/p${i}` })).id,
    );
  }
});
afterAll(async () => {
  await t?.close();
});

/** The payload as HTML text, written here apart from the code under test. */
const asText = (s: string) =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

const put = (payload: object) => call(t.app, creator.token, { method: 'PUT', url: '/api/v1/creators/me/bio', payload });

describe('a bio page fed XSS payloads', () => {
  it.each(xssPayloads)('renders %j in the title, bio and labels as text', async (payload) => {
    const saved = await put({
      handle: 'krista',
      title: payload.slice(0, 80),
      bio: `Hi ${payload}`,
      links: linkIds.map((linkId) => ({ linkId, label: payload.slice(0, 80) })),
    });
    expect(saved.statusCode, saved.body).toBe(200 + (saved.statusCode === 201 ? 1 : 0));
    const res = await t.app.inject({ method: 'GET', url: '/@krista' });
    expect(res.statusCode).toBe(200);
    // Outside the page's own script, no markup from the payload survives: no raw <, > or quote.
    const body = res.body.replace(/<script>[^<]*<\/script><\/body>/, '');
    expect(body).not.toContain(payload.slice(0, 80));
    expect(body).toContain(asText(payload.slice(0, 80)));
    expect(body.match(/<script/g)).toBeNull();
    expect(res.body.match(/<script>/g)).toHaveLength(1);
  });

  it.each(badColours)('refuses the colour %j', async (colour) => {
    const res = await put({
      handle: 'krista',
      title: 'Krista',
      theme: { background: colour, text: '#000000', button: '#000000', buttonText: '#ffffff' },
      links: [],
    });
    expect(res.statusCode, res.body).toBe(400);
  });

  it.each(badHandles)('refuses the handle %j', async (handle) => {
    const res = await put({ handle, title: 'Krista', links: [] });
    expect(res.statusCode, res.body).toBe(400);
  });

  // The page's address is found whatever its case: KRISTA is krista's page, not a 404.
  it.each(badHandles.filter((h) => h !== 'KRISTA'))(
    'answers the address of handle %j with a 404 page that does not echo it',
    async (handle) => {
      const res = await t.app.inject({ method: 'GET', url: `/@${encodeURIComponent(handle)}` });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain(handle);
    },
  );
});

describe('escapeHtml', () => {
  it('leaves no character that opens a tag, closes an attribute or starts an entity', () => {
    expect(escapeHtml(`<>"'&`)).toBe('&lt;&gt;&quot;&#39;&amp;');
  });
});
