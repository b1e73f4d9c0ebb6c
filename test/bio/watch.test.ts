import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDueDestinations } from '../../src/bio/watch.js';
import { fixedClock } from '../../src/shared/clock.js';
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

/**
 * The watch against a real shop server on a local port: the links point at shop.example.com,
 * and the watch's HTTP client sends each request to the local server instead, path and headers
 * unchanged. Each test builds its own world (its own database, shop server and clock): the watch
 * checks every due link of the instance, and the tests move the clock.
 */
const answers: Record<string, (method: string) => number> = {
  '/ok': () => 200,
  '/gone': () => 410,
  '/missing': () => 404,
  '/no-head': (method) => (method === 'HEAD' ? 405 : 200),
  '/moved': () => 301,
  '/error': () => 500,
};

const USER_AGENT = 'KumppaniLinkCheck/test (+http://127.0.0.1:8080)';

interface World {
  t: TestApp;
  clock: ReturnType<typeof fixedClock>;
  creator: CreatorAccount;
  seen: { method: string; path: string; userAgent: string | undefined }[];
  run(opts?: { perHostGapMs?: number; sleep?: (ms: number) => Promise<void> }): ReturnType<typeof checkDueDestinations>;
}

const worlds: { t: TestApp; shop: Server }[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) {
    await w.t.close();
    await new Promise((resolve) => w.shop.close(resolve));
  }
});

/** A shop, and a creator whose bio page links to each of its pages (and one link on no page). */
async function world(): Promise<World> {
  const seen: World['seen'] = [];
  const shop = createServer((req, res) => {
    const path = req.url ?? '/';
    seen.push({ method: req.method ?? '', path, userAgent: req.headers['user-agent'] });
    const status = answers[path]?.(req.method ?? 'GET') ?? 404;
    if (status === 301) res.writeHead(301, { location: '/gone' }).end();
    else res.writeHead(status, { 'content-type': 'text/html' }).end('<p>shop</p>');
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  const shopBase = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  const toShop: typeof fetch = (input, init) =>
    fetch(String(input).replace('https://shop.example.com', shopBase), init);

  const clock = fixedClock(new Date('2026-12-07T08:00:00.000Z'));
  const t = await startTestApp({ clock });
  worlds.push({ t, shop });
  const brand = await signupBrand(t.app, 'Aino');
  const programId = (await createProgram(t.app, brand.token, validProgram)).id;
  const creator = await approvedCreator(t.app, brand.token, programId, 'Krista');
  const links: Record<string, string> = {};
  for (const path of Object.keys(answers)) {
    links[path] = (
      await createLink(t.app, creator.token, { programId, destinationUrl: `https://shop.example.com${path}` })
    ).id;
  }
  // A link that is on no page is not watched.
  await createLink(t.app, creator.token, { programId, destinationUrl: 'https://shop.example.com/not-on-the-page' });
  const res = await call(t.app, creator.token, {
    method: 'PUT',
    url: '/api/v1/creators/me/bio',
    payload: {
      handle: 'krista',
      title: 'Krista',
      links: Object.entries(links).map(([path, linkId]) => ({ linkId, label: path })),
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const run: World['run'] = (opts = {}) =>
    checkDueDestinations({
      db: t.database.handle.db,
      clock,
      userAgent: USER_AGENT,
      fetch: toShop,
      perHostGapMs: opts.perHostGapMs ?? 0,
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
    });
  return { t, clock, creator, seen, run };
}

async function checks(w: World) {
  const res = await call(w.t.app, w.creator.token, { method: 'GET', url: '/api/v1/creators/me/bio' });
  expect(res.statusCode, res.body).toBe(200);
  return Object.fromEntries(
    res.json().links.map((l: { label: string; destinationCheck: unknown }) => [l.label, l.destinationCheck]),
  );
}

describe('the destination watch', () => {
  it('checks each link on a bio page once, and only those', async () => {
    const w = await world();
    expect(await w.run()).toEqual({ checked: 6, broken: 3 });
    expect(w.seen.some((s) => s.path === '/not-on-the-page')).toBe(false);
  });

  it('marks destinations answering 404 or 410, after their redirects, as broken for the creator', async () => {
    const w = await world();
    await w.run();
    const c = await checks(w);
    expect(c['/gone']).toMatchObject({ httpStatus: 410, broken: true });
    expect(c['/missing']).toMatchObject({ httpStatus: 404, broken: true });
    expect(c['/moved']).toMatchObject({ httpStatus: 410, broken: true });
  });

  it('does not take a server error or a working page for a gone one', async () => {
    const w = await world();
    await w.run();
    const c = await checks(w);
    expect(c['/error']).toMatchObject({ httpStatus: 500, broken: false });
    expect(c['/ok']).toEqual({ checkedAt: '2026-12-07T08:00:00.000Z', httpStatus: 200, broken: false });
  });

  it('asks with HEAD, and with GET only where HEAD is not allowed', async () => {
    const w = await world();
    await w.run();
    expect(w.seen.filter((s) => s.path === '/ok').map((s) => s.method)).toEqual(['HEAD']);
    expect(w.seen.filter((s) => s.path === '/no-head').map((s) => s.method)).toEqual(['HEAD', 'GET']);
    expect((await checks(w))['/no-head']).toMatchObject({ httpStatus: 200, broken: false });
  });

  it('names itself in the user agent of every request', async () => {
    const w = await world();
    await w.run();
    expect(w.seen).toHaveLength(8);
    expect(new Set(w.seen.map((s) => s.userAgent))).toEqual(new Set([USER_AGENT]));
  });

  it('checks nothing again within a day', async () => {
    const w = await world();
    expect((await w.run()).checked).toBe(6);
    w.clock.advance(23 * 3_600_000);
    const before = w.seen.length;
    expect(await w.run()).toEqual({ checked: 0, broken: 0 });
    expect(w.seen.length).toBe(before);
  });

  it('checks again once a day has passed', async () => {
    const w = await world();
    expect((await w.run()).checked).toBe(6);
    w.clock.advance(25 * 3_600_000);
    expect((await w.run()).checked).toBe(6);
  });

  it('waits between two requests to the same host', async () => {
    const w = await world();
    const waits: number[] = [];
    await w.run({
      perHostGapMs: 60_000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(waits).toHaveLength(5);
    expect(waits.every((ms) => ms > 50_000 && ms <= 60_000)).toBe(true);
  });
});
