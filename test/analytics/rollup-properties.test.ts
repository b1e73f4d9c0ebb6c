import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyClicks, verifySales, verifyViews } from '../../src/analytics/recount.js';
import {
  approvedCreator,
  type Brand,
  type CreatorAccount,
  call,
  createKey,
  createLink,
  createProduct,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

/**
 * For any sequence of clicks, sales (by click, by code, unattributed), partial and full refunds (some before their sale), rejections of commissions,
 * view counts of videos (in and out of order, some of videos no link points at yet) and links and codes newly pointed at a video, the
 * rollups that analytics read equal a recount from the raw rows.
 */
let t: TestApp;
let brand: Brand;
let key: string;
let programId: string;
const creators: CreatorAccount[] = [];
const slugs: string[] = [];
const products: string[] = [];
/** Each creator's videos: the first has a link from the start, the others only when an operation points one at it. */
const videos: { creator: number; id: string }[] = [];
let run = 0;

beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app, 'Property Brand');
  key = await createKey(t.app, brand.token, 'manager');
  programId = (
    await createProgram(t.app, brand.token, { ...validProgram, defaultRate: { type: 'percent', bps: 1250 } })
  ).id;
  for (const name of ['Ada', 'Bea']) {
    const c = await approvedCreator(t.app, brand.token, programId, name);
    creators.push(c);
    const content = await call(t.app, c.token, {
      method: 'POST',
      url: '/api/v1/contents',
      payload: { platform: 'youtube', url: `https://youtu.be/${name}video1` },
    });
    videos.push({ creator: creators.length - 1, id: content.json().id });
    for (const n of [2, 3]) {
      const other = await call(t.app, c.token, {
        method: 'POST',
        url: '/api/v1/contents',
        payload: { platform: 'youtube', url: `https://youtu.be/${name}video${n}` },
      });
      videos.push({ creator: creators.length - 1, id: other.json().id });
    }
    for (const placement of ['bio', 'caption']) {
      const slug = `${name.toLowerCase()}-${placement}`;
      await createLink(t.app, c.token, {
        programId,
        slug,
        destinationUrl: 'https://shop.example.com/',
        placement,
        ...(placement === 'caption' ? { contentId: content.json().id } : {}),
      });
      slugs.push(slug);
    }
    const code = await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${programId}/codes`,
      payload: { creatorId: c.creatorId, code: `${name.toUpperCase()}10`, discount: { type: 'percent', bps: 1000 } },
    });
    expect(code.statusCode, code.body).toBe(201);
  }
  for (const p of ['a', 'b', 'c']) {
    products.push((await createProduct(t.app, brand.token, programId, { externalId: p, name: p })).id);
  }
});
afterAll(async () => {
  await t?.close();
});

const lineArb = fc.record({ product: fc.nat({ max: 2 }), amount: fc.integer({ min: 0, max: 30_000 }) });
const opArb = fc.oneof(
  fc.record({ op: fc.constant('click' as const), link: fc.nat({ max: 3 }), visitor: fc.nat({ max: 5 }) }),
  fc.record({
    op: fc.constant('sale' as const),
    order: fc.nat({ max: 2 }),
    by: fc.constantFrom('click', 'code', 'none'),
    who: fc.nat({ max: 1 }),
    lines: fc.array(lineArb, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    op: fc.constant('refund' as const),
    order: fc.nat({ max: 2 }),
    lines: fc.option(fc.array(lineArb, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    amount: fc.integer({ min: 1, max: 40_000 }),
  }),
  fc.record({ op: fc.constant('reject' as const), order: fc.nat({ max: 2 }), pick: fc.nat({ max: 5 }) }),
  fc.record({
    op: fc.constant('views' as const),
    video: fc.nat({ max: 5 }),
    hoursAgo: fc.nat({ max: 72 }),
    views: fc.nat({ max: 100_000 }),
  }),
  fc.record({ op: fc.constant('point' as const), video: fc.nat({ max: 5 }), with: fc.constantFrom('link', 'code') }),
);

type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

async function apply(ops: Op[]) {
  run += 1;
  const clicks: string[] = [];
  let refundNo = 0;
  let pointed = 0;
  for (const o of ops) {
    if (o.op === 'click') {
      const res = await t.app.inject({
        method: 'GET',
        url: `/${slugs[o.link]}`,
        headers: { 'user-agent': `Mozilla/5.0 (X11; Linux x86_64) Firefox/12${o.visitor}.0` },
        remoteAddress: `10.1.0.${o.visitor}`,
      });
      expect(res.statusCode).toBe(302);
      clicks.push(new URL(res.headers.location as string).searchParams.get('kclid') as string);
    } else if (o.op === 'sale') {
      const body: Record<string, unknown> = {
        programId,
        currency: 'EUR',
        orderId: `R${run}-${o.order}`,
        lines: o.lines.map((l) => ({ productId: products[l.product], amount: l.amount, quantity: 1 })),
      };
      if (o.by === 'click' && clicks.length > 0) body.clickId = clicks[clicks.length - 1];
      if (o.by === 'code') body.couponCode = o.who === 0 ? 'ADA10' : 'BEA10';
      const res = await call(t.app, key, { method: 'POST', url: '/api/v1/track/sale', payload: body });
      // The same order id again with other contents is a conflict; with the same, a duplicate.
      expect([200, 201, 409]).toContain(res.statusCode);
    } else if (o.op === 'refund') {
      refundNo += 1;
      const res = await call(t.app, key, {
        method: 'POST',
        url: '/api/v1/track/refund',
        payload: {
          programId,
          orderId: `R${run}-${o.order}`,
          refundId: `R${run}-refund-${refundNo}`,
          ...(o.lines
            ? { lines: o.lines.map((l) => ({ productId: products[l.product], amount: l.amount })) }
            : { amount: o.amount }),
        },
      });
      expect([200, 201, 202, 409]).toContain(res.statusCode);
    } else if (o.op === 'views') {
      const v = videos[o.video] as (typeof videos)[number];
      const res = await call(t.app, (creators[v.creator] as CreatorAccount).token, {
        method: 'POST',
        url: `/api/v1/contents/${v.id}/views`,
        payload: { views: o.views, at: new Date(Date.now() - o.hoursAgo * 3_600_000 - 1000).toISOString() },
      });
      expect(res.statusCode, res.body).toBeLessThan(300);
    } else if (o.op === 'point') {
      const v = videos[o.video] as (typeof videos)[number];
      const creator = creators[v.creator] as CreatorAccount;
      pointed += 1;
      const res =
        o.with === 'link'
          ? await call(t.app, creator.token, {
              method: 'POST',
              url: '/api/v1/links',
              payload: {
                programId,
                slug: `p${run}-${pointed}`,
                destinationUrl: 'https://shop.example.com/',
                placement: 'caption',
                contentId: v.id,
              },
            })
          : await call(t.app, brand.token, {
              method: 'POST',
              url: `/api/v1/programs/${programId}/codes`,
              payload: {
                creatorId: creator.creatorId,
                code: `P${run}X${pointed}`,
                discount: { type: 'percent', bps: 1000 },
                contentId: v.id,
              },
            });
      expect(res.statusCode, res.body).toBe(201);
    } else {
      const list = await call(t.app, brand.token, {
        method: 'GET',
        url: `/api/v1/commissions?programId=${programId}&limit=200`,
      });
      const mine = (list.json().data as { id: string; orderId: string; status: string; amount: number }[]).filter(
        (c) =>
          c.orderId === `R${run}-${o.order}` && c.amount > 0 && (c.status === 'pending' || c.status === 'approved'),
      );
      const chosen = mine[o.pick % Math.max(1, mine.length)];
      if (chosen) {
        const res = await call(t.app, brand.token, {
          method: 'POST',
          url: `/api/v1/commissions/${chosen.id}/reject`,
          payload: { reason: 'a test of the rollups' },
        });
        expect(res.statusCode, res.body).toBe(200);
      }
    }
  }
}

describe('rollups', () => {
  it('equal a recount from raw rows after any clicks, sales, refunds, rejections, view counts and videos pointed at', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 4, maxLength: 16 }), async (ops) => {
        await apply(ops);
        const sales = await verifySales(t.database.handle.db, [programId]);
        expect(sales.differences).toEqual([]);
        const clicks = await verifyClicks(t.database.handle.db, [programId]);
        expect(clicks.differences).toEqual([]);
        const views = await verifyViews(t.database.handle.db, [programId]);
        expect(views.differences).toEqual([]);
        // The first creator or video, counted alone (limit 1), is the first of all of them counted.
        for (const groupBy of ['creator', 'content']) {
          const ask = (limit: number) =>
            call(t.app, brand.token, {
              method: 'GET',
              url: `/api/v1/analytics?programId=${programId}&groupBy=${groupBy}&limit=${limit}`,
            });
          const [first, all] = [(await ask(1)).json(), (await ask(100)).json()];
          expect(first.data).toEqual(all.data.slice(0, 1));
          expect(first.totals).toEqual(all.totals);
        }
      }),
      { numRuns: 20 },
    );
  }, 180_000);
});
