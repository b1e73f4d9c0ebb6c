import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/shared/ids.js';
import { createProgram, signupBrand, startTestApp, type TestApp, validProgram } from '../helpers/app.js';
import { dialect } from '../helpers/database.js';

/**
 * `/k.js` in a real browser, on a shop at another site than the Kumppani instance: the shop
 * (`shop.test`, mapped to 127.0.0.1) includes the script from `127.0.0.1:<port>`. Chromium comes
 * from Debian (`scripts/ensure-chromium.sh`); without it this suite fails rather than skips.
 * The snippet does not touch the database, so it runs on the SQLite project only.
 */
const CHROMIUM = '/usr/bin/chromium';
const DAY = 86_400;

/** A click id for a given time, built independently of the server's id code. */
const B32 = '0123456789abcdefghjkmnpqrstvwxyz';
function clickIdAt(ms: number): string {
  let time = '';
  for (let t = ms, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = B32[t % 32] + time;
  let random = '';
  for (let i = 0; i < 16; i++) random += B32[randomInt(32)];
  return `clk_${time}${random}`;
}

/** What the snippet offers the shop's pages, as `window.kumppani`. */
interface Shop {
  kumppani: {
    clickId(): string | null;
    clickedAt(): Date | null;
    program: string | null;
    window: number;
    shopField?: string;
  };
}

interface CartPost {
  path: string;
  contentType: string | undefined;
  cookie: string | undefined;
  body: unknown;
}

function page(head: string): string {
  return `<!doctype html><html><head><meta charset="utf-8">${head}</head><body><h1>Shop</h1></body></html>`;
}

describe.skipIf(dialect !== 'sqlite')('the /k.js snippet in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let shopServer: Server;
  let shop: string;
  let posts: CartPost[] = [];
  let carts = 0;
  /** A program whose attribution window is 14 days. */
  let programId = '';
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];

  function shopHandler(req: IncomingMessage, res: ServerResponse, snippet: string): void {
    const url = new URL(req.url ?? '/', 'http://shop.test');
    if (req.method === 'POST' && url.pathname.endsWith('/cart/update.js')) {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        posts.push({
          path: url.pathname,
          contentType: req.headers['content-type'],
          cookie: req.headers.cookie,
          body: JSON.parse(body),
        });
        // Like Shopify, a request without a cart starts one.
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (!/(?:^|; )cart=/.test(req.headers.cookie ?? '')) headers['set-cookie'] = `cart=c1-${++carts}; Path=/`;
        res.writeHead(200, headers).end('{}');
      });
      return;
    }
    const tag = (attributes: string, query = '') => `<script src="${snippet}${query}" ${attributes}></script>`;
    const pages: Record<string, string> = {
      '/': page(
        `<script>window.kumppani = { shopField: 'kept' };</script>${tag('data-window="7" data-program="prg_1"')}`,
      ),
      '/product': page(tag('data-window="7"')),
      '/default': page(tag('')),
      '/query': page(tag('', '?window=400')),
      '/zero': page(tag('data-window="0"')),
      '/program': page(tag('', `?program=${programId}`)),
      '/program-and-window': page(tag('data-window="7"', `?program=${programId}`)),
      '/unknown-program': page(tag('', `?program=${newId('program')}`)),
      '/shopify': page(`<script>window.Shopify = { shop: 'x.myshopify.com' };</script>${tag('data-window="7"')}`),
      '/fr/shopify': page(
        `<script>window.Shopify = { shop: 'x.myshopify.com', routes: { root: '/fr/' } };</script>${tag('')}`,
      ),
      '/sandboxed': page(`<iframe sandbox="allow-scripts" src="/product${url.search}"></iframe>`),
    };
    const html = pages[url.pathname];
    if (html === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  }

  beforeAll(async () => {
    // Like PostgreSQL and Redis, Chromium is installed from Debian's packages when it is missing.
    if (!existsSync(CHROMIUM)) execFileSync('bash', ['scripts/ensure-chromium.sh'], { stdio: 'inherit' });
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing and could not be installed`);
    t = await startTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const brand = await signupBrand(t.app, 'Aino');
    programId = (await createProgram(t.app, brand.token, { ...validProgram, attributionWindowDays: 14 })).id;
    const snippet = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/k.js`;
    shopServer = createServer((req, res) => shopHandler(req, res, snippet));
    await new Promise<void>((resolve) => shopServer.listen(0, '127.0.0.1', resolve));
    shop = `http://shop.test:${(shopServer.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--host-resolver-rules=MAP shop.test 127.0.0.1'],
    });
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    posts = [];
    expect(errors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (shopServer ? shopServer.close(resolve) : resolve(undefined)));
    await t?.close();
  });

  /** A fresh visitor: a browser context of its own, with no cookies. */
  async function visitor(): Promise<{ context: BrowserContext; open: (path: string) => Promise<Page> }> {
    const context = await browser.newContext();
    contexts.push(context);
    const tab = await context.newPage();
    tab.on('pageerror', (error) => errors.push(error.message));
    return {
      context,
      open: async (path) => {
        await tab.goto(`${shop}${path}`);
        return tab;
      },
    };
  }

  const clickIdOf = (tab: Page) => tab.evaluate(() => (globalThis as unknown as Shop).kumppani.clickId());
  async function kclidCookie(context: BrowserContext) {
    return (await context.cookies(shop)).find((c) => c.name === 'kclid');
  }
  function expectLifetime(expires: number | undefined, days: number): void {
    const expected = Date.now() / 1000 + days * DAY;
    expect(expires).toBeGreaterThan(expected - 120);
    expect(expires).toBeLessThan(expected + 120);
  }

  it('keeps kclid from the landing URL in a first-party cookie for the attribution window', async () => {
    const clickedAt = Date.now() - 5_000;
    const id = clickIdAt(clickedAt);
    const { context, open } = await visitor();
    const tab = await open(`/?kclid=${id}&utm_source=kumppani`);
    expect(await clickIdOf(tab)).toBe(id);
    const cookie = await kclidCookie(context);
    expect(cookie).toMatchObject({ value: id, path: '/', sameSite: 'Lax', secure: false, httpOnly: false });
    expect(cookie?.domain).toBe('shop.test');
    expectLifetime(cookie?.expires, 7);
    expect(
      await tab.evaluate(() => {
        const k = (globalThis as unknown as Shop).kumppani;
        return { at: k.clickedAt()?.getTime(), program: k.program, window: k.window, shopField: k.shopField };
      }),
    ).toEqual({ at: clickedAt, program: 'prg_1', window: 7, shopField: 'kept' });

    // A later page, without the parameter: checkout code still gets the id.
    const later = await open('/product');
    expect(await clickIdOf(later)).toBe(id);
  });

  it('ignores a kclid that is not a click id', async () => {
    const id = clickIdAt(Date.now());
    const { context, open } = await visitor();
    expect(await clickIdOf(await open('/product?kclid=clk_forged'))).toBeNull();
    expect(await kclidCookie(context)).toBeUndefined();
    await open(`/product?kclid=${id}`);
    for (const bad of ['clk_forged', `${id}x`, id.toUpperCase(), `lnk_${id.slice(4)}`, `clk_${'u'.repeat(26)}`]) {
      expect(await clickIdOf(await open(`/product?kclid=${encodeURIComponent(bad)}`)), bad).toBe(id);
    }
  });

  it('lets a later click replace the kept one, but not an older landing URL opened again', async () => {
    const first = clickIdAt(Date.now() - 60_000);
    const second = clickIdAt(Date.now());
    const { context, open } = await visitor();
    await open(`/product?kclid=${first}`);
    expect(await clickIdOf(await open(`/product?kclid=${second}`))).toBe(second);
    expect(await clickIdOf(await open(`/product?kclid=${first}`))).toBe(second);
    expect((await kclidCookie(context))?.value).toBe(second);
  });

  it.each([
    ['no data-window: 30 days', '/default', 30],
    ['?window=400 on the script URL: clamped to 365 days', '/query', 365],
    ['data-window="0": clamped to 1 day', '/zero', 1],
    ["?program= on the script URL: the program's 14 days", '/program', 14],
    ['?program= and data-window="7": the page says 7 days', '/program-and-window', 7],
    ['?program= naming no program: 30 days', '/unknown-program', 30],
  ])('reads the attribution window: %s', async (_name, path, days) => {
    const id = clickIdAt(Date.now());
    const { context, open } = await visitor();
    const tab = await open(`${path}?kclid=${id}`);
    expect(await tab.evaluate(() => (globalThis as unknown as Shop).kumppani.window)).toBe(days);
    expectLifetime((await kclidCookie(context))?.expires, days);
  });

  it('never throws where cookies are forbidden (a sandboxed frame)', async () => {
    const { open } = await visitor();
    const tab = await open(`/sandboxed?kclid=${clickIdAt(Date.now())}`);
    const frame = tab.frames().find((f) => f !== tab.mainFrame());
    expect(frame).toBeDefined();
    await frame?.waitForLoadState('load');
    expect(await frame?.evaluate(() => (globalThis as unknown as Shop).kumppani.clickId())).toBeNull();
  });

  it('on Shopify, writes the id into the cart attributes once per id and cart', async () => {
    const first = clickIdAt(Date.now() - 60_000);
    const { context, open } = await visitor();
    await open(`/shopify?kclid=${first}`);
    await expect.poll(() => posts.length).toBe(1);
    expect(posts[0]).toMatchObject({
      path: '/cart/update.js',
      contentType: 'application/json',
      body: { attributes: { kclid: first } },
    });
    // The snippet remembers the write once the shop has answered it.
    await expect.poll(async () => (await context.cookies(shop)).some((c) => c.name === 'kclid_cart')).toBe(true);

    // The same id and the same cart: nothing more to write.
    const again = await open('/shopify');
    await again.waitForLoadState('networkidle');
    expect(posts).toHaveLength(1);

    // A new cart (after an order, say) gets the attribute again, with the shop's cookies.
    await context.addCookies([{ name: 'cart', value: 'c1-after-order', url: shop }]);
    await open('/shopify');
    await expect.poll(() => posts.length).toBe(2);
    expect(posts[1]?.body).toEqual({ attributes: { kclid: first } });
    expect(posts[1]?.cookie).toContain('cart=c1-after-order');

    // A later click replaces it in the cart too.
    const second = clickIdAt(Date.now());
    await open(`/shopify?kclid=${second}`);
    await expect.poll(() => posts.length).toBe(3);
    expect(posts[2]?.body).toEqual({ attributes: { kclid: second } });

    // A page that is not Shopify's posts nothing.
    const plain = await open('/product');
    await plain.waitForLoadState('networkidle');
    expect(posts).toHaveLength(3);
  });

  it('on a Shopify store under a locale path, posts to the locale’s cart', async () => {
    const id = clickIdAt(Date.now());
    const { open } = await visitor();
    await open(`/fr/shopify?kclid=${id}`);
    await expect.poll(() => posts.length).toBe(1);
    expect(posts[0]).toMatchObject({ path: '/fr/cart/update.js', body: { attributes: { kclid: id } } });
  });
});
