import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySales } from '../../src/analytics/recount.js';
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
 * The world of the issue, built through the API: clicks on several links of two creators, one
 * link tied to a video with views, sales by code and by click, a partial refund. Every number is
 * worked out by hand below from the events sent.
 */
let t: TestApp;
let brand: Brand;
let key: string;
let programId: string;
let krista: CreatorAccount;
let mikko: CreatorAccount;
let videoId: string;
let codeId: string;
const links: Record<string, string> = {};
let p1: string;
let p2: string;

const UA = (n: number) =>
  `Mozilla/5.0 (iPhone; CPU iPhone OS 17_${n} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${n} Mobile/15E148 Safari/604.1`;

async function click(slug: string, visitor: number): Promise<string> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/${slug}`,
    headers: { 'user-agent': UA(visitor) },
    remoteAddress: `10.0.0.${visitor}`,
  });
  expect(res.statusCode).toBe(302);
  return new URL(res.headers.location as string).searchParams.get('kclid') as string;
}

const get = (token: string, url: string) => call(t.app, token, { method: 'GET', url });
const analytics = (token: string, query: string) => get(token, `/api/v1/analytics?${query}`);

beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app, 'Aino');
  key = await createKey(t.app, brand.token, 'manager');
  programId = (
    await createProgram(t.app, brand.token, {
      ...validProgram,
      defaultRate: { type: 'percent', bps: 1500 },
      timezone: 'Europe/Helsinki',
    })
  ).id;
  krista = await approvedCreator(t.app, brand.token, programId, 'Krista');
  mikko = await approvedCreator(t.app, brand.token, programId, 'Mikko');
  p1 = (await createProduct(t.app, brand.token, programId, { externalId: 'leggings', name: 'Leggings' })).id;
  p2 = (await createProduct(t.app, brand.token, programId, { externalId: 'top', name: 'Top' })).id;

  const video = await call(t.app, krista.token, {
    method: 'POST',
    url: '/api/v1/contents',
    payload: { platform: 'tiktok', url: 'https://www.tiktok.com/@krista/video/7412345678901234567', title: 'Run' },
  });
  expect(video.statusCode, video.body).toBe(201);
  videoId = video.json().id;
  const now = Date.now();
  for (const [ago, views] of [
    [3_600_000, 2000],
    [60_000, 5000],
  ] as const) {
    const res = await call(t.app, krista.token, {
      method: 'POST',
      url: `/api/v1/contents/${videoId}/views`,
      payload: { views, at: new Date(now - ago).toISOString() },
    });
    expect(res.statusCode, res.body).toBe(201);
  }

  const dest = 'https://shop.example.com/leggings';
  for (const [name, token, extra] of [
    ['k-video', krista.token, { contentId: videoId, placement: 'caption' }],
    ['k-bio', krista.token, { placement: 'bio' }],
    ['m-bio', mikko.token, { placement: 'bio' }],
  ] as const) {
    links[name] = (await createLink(t.app, token, { programId, slug: `${name}-x`, destinationUrl: dest, ...extra })).id;
  }
  const code = await call(t.app, brand.token, {
    method: 'POST',
    url: `/api/v1/programs/${programId}/codes`,
    payload: {
      creatorId: krista.creatorId,
      code: 'KRISTA10',
      discount: { type: 'percent', bps: 1000 },
      contentId: videoId,
    },
  });
  expect(code.statusCode, code.body).toBe(201);
  codeId = code.json().id;

  // Clicks: the video link 4 (visitor 1 twice), Krista's bio 2, Mikko's bio 3.
  const videoClick = await click('k-video-x', 1);
  await click('k-video-x', 1);
  await click('k-video-x', 2);
  await click('k-video-x', 3);
  await click('k-bio-x', 4);
  await click('k-bio-x', 5);
  const mikkoClick = await click('m-bio-x', 6);
  await click('m-bio-x', 7);
  await click('m-bio-x', 8);

  const sale = async (body: object) => {
    const res = await call(t.app, key, {
      method: 'POST',
      url: '/api/v1/track/sale',
      payload: { programId, currency: 'EUR', ...body },
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  // S1 by a click on the video link: 100.00 € + 50.00 €; S2 by the code (tied to the video);
  // S3 by a click on Mikko's link; S4 unattributed, counted nowhere.
  await sale({
    orderId: 'S1',
    clickId: videoClick,
    lines: [
      { productId: p1, amount: 10000, quantity: 1 },
      { productId: p2, amount: 5000, quantity: 1 },
    ],
  });
  await sale({ orderId: 'S2', couponCode: 'KRISTA10', lines: [{ productId: p1, amount: 8000, quantity: 1 }] });
  await sale({ orderId: 'S3', clickId: mikkoClick, lines: [{ productId: p2, amount: 4000, quantity: 1 }] });
  await sale({ orderId: 'S4', lines: [{ productId: p1, amount: 9999, quantity: 1 }] });
  // A partial refund of S1: 20.00 € of the top.
  const refund = await call(t.app, key, {
    method: 'POST',
    url: '/api/v1/track/refund',
    payload: { programId, orderId: 'S1', refundId: 'R1', lines: [{ productId: p2, amount: 2000 }] },
  });
  expect(refund.statusCode, refund.body).toBe(201);
});
afterAll(async () => {
  await t?.close();
});

// By hand, at 15 %: S1 earns 1500 + 750, the refund of 2000 of 5000 reverses 300 of the 750;
// S2 earns 1200; S3 600.
const totals = {
  clicks: 9,
  uniqueClicks: 8,
  leads: 0,
  sales: 3,
  gmv: 27000,
  refunds: 2000,
  netGmv: 25000,
  commissions: 1950 + 1200 + 600,
  views: 5000,
};

describe('GET /api/v1/analytics', () => {
  it('gives totals equal to the events sent, with EPC and GPM as computed by hand', async () => {
    const res = await analytics(brand.token, `programId=${programId}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.currency).toBe('EUR');
    expect(body.timezone).toBe('Europe/Helsinki');
    expect(body.totals).toMatchObject(totals);
    // 3750 minor units of commission per 9 clicks, per 100 clicks.
    expect(body.totals.epc).toBeCloseTo((3750 * 100) / 9, 5);
    // 25000 of net GMV per 5000 views, per 1000 views.
    expect(body.totals.gpm).toBe(5000);
    expect(body.totals.ctr).toBe(9 / 5000);
    expect(body.totals.conversionRate).toBeCloseTo(3 / 9, 6);
    expect(body.totals.aov).toBe(9000);
    expect(body.totals.refundRate).toBeCloseTo(2000 / 27000, 6);
  });

  it('groups by creator, each creator with its own clicks, sales, commissions and views', async () => {
    const res = await analytics(brand.token, `programId=${programId}&groupBy=creator`);
    expect(res.statusCode, res.body).toBe(200);
    const byKey = Object.fromEntries(res.json().data.map((r: { key: string }) => [r.key, r]));
    expect(byKey[krista.creatorId]).toMatchObject({
      label: 'Krista',
      clicks: 6,
      sales: 2,
      gmv: 23000,
      refunds: 2000,
      netGmv: 21000,
      commissions: 3150,
      views: 5000,
      gpm: 4200,
    });
    expect(byKey[mikko.creatorId]).toMatchObject({ clicks: 3, sales: 1, gmv: 4000, commissions: 600, views: 0 });
    expect(res.json().data[0].key).toBe(krista.creatorId);
  });

  it('counts a video across its link and its code: CTR and GPM per video', async () => {
    const res = await analytics(brand.token, `programId=${programId}&groupBy=content`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toEqual([
      expect.objectContaining({
        key: videoId,
        label: 'Run',
        clicks: 4,
        sales: 2,
        gmv: 23000,
        netGmv: 21000,
        views: 5000,
        ctr: 4 / 5000,
        gpm: 4200,
        epc: (3150 * 100) / 4,
      }),
    ]);
  });

  it('groups by link, code and product as the raw events give', async () => {
    const by = async (groupBy: string) => {
      const res = await analytics(brand.token, `programId=${programId}&groupBy=${groupBy}`);
      expect(res.statusCode, res.body).toBe(200);
      return Object.fromEntries(res.json().data.map((r: { key: string }) => [r.key, r]));
    };
    const byLink = await by('link');
    expect(byLink[links['k-video'] as string]).toMatchObject({
      clicks: 4,
      uniqueClicks: 3,
      sales: 1,
      gmv: 15000,
      refunds: 2000,
    });
    expect(byLink[links['k-bio'] as string]).toMatchObject({ clicks: 2, sales: 0, gmv: 0 });
    expect(byLink[links['m-bio'] as string]).toMatchObject({ clicks: 3, sales: 1, gmv: 4000 });
    const byCode = await by('code');
    expect(Object.keys(byCode)).toEqual([codeId]);
    expect(byCode[codeId]).toMatchObject({ label: 'KRISTA10', clicks: null, sales: 1, gmv: 8000, commissions: 1200 });
    const byProduct = await by('product');
    expect(byProduct[p1]).toMatchObject({ label: 'Leggings', sales: 2, gmv: 18000, refunds: 0, commissions: 2700 });
    expect(byProduct[p2]).toMatchObject({ label: 'Top', sales: 2, gmv: 9000, refunds: 2000, commissions: 1050 });
  });

  it('shows every day of the range, empty ones included, summing to the totals', async () => {
    const res = await analytics(brand.token, `programId=${programId}&groupBy=day`);
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json().data as { key: string; clicks: number; gmv: number }[];
    expect(data).toHaveLength(30);
    expect(data.filter((d) => d.clicks === 0 && d.gmv === 0).length).toBeGreaterThanOrEqual(28);
    expect(data.reduce((s, d) => s + d.clicks, 0)).toBe(9);
    expect(data.reduce((s, d) => s + d.gmv, 0)).toBe(27000);
  });

  it('answers the same from the raw rows when the range does not begin on a whole hour', async () => {
    const from = new Date(Date.now() - 3 * 86_400_000 - 60_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await analytics(brand.token, `programId=${programId}&from=${from}&to=${to}&groupBy=creator`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().totals).toMatchObject(totals);
  });

  it('combines a link filter with a breakdown by device from the raw rows', async () => {
    const res = await analytics(brand.token, `programId=${programId}&linkId=${links['k-video']}&groupBy=device`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.totals).toMatchObject({ clicks: 4, sales: 1, gmv: 15000 });
    expect(body.data.reduce((s: number, r: { clicks: number }) => s + r.clicks, 0)).toBe(4);
  });

  it('keeps rollups equal to a recount from the raw rows', async () => {
    const result = await verifySales(t.database.handle.db, [programId]);
    expect(result.conversions).toBe(3);
    expect(result.differences).toEqual([]);
  });

  it('streams the same numbers as CSV, which parse back', async () => {
    const json = (await analytics(brand.token, `programId=${programId}&groupBy=creator`)).json();
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/analytics?programId=${programId}&groupBy=creator`,
      headers: { authorization: `Bearer ${brand.token}`, accept: 'text/csv' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(json.data.length + 1);
    for (const [i, r] of json.data.entries()) {
      expect(rows[i]?.key).toBe(r.key);
      for (const m of ['clicks', 'sales', 'gmv', 'refunds', 'netGmv', 'commissions', 'views']) {
        expect(Number(rows[i]?.[m]), m).toBe(r[m]);
      }
    }
    expect(rows.at(-1)).toMatchObject({ key: 'totals', gmv: '27000', commissions: '3750' });
  });
});

describe('GET /api/v1/analytics/leaderboards', () => {
  const board = async (query: string) => {
    const res = await get(brand.token, `/api/v1/analytics/leaderboards?programId=${programId}&${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('ranks creators by net GMV, with the change against the empty previous period', async () => {
    const body = await board('board=creators');
    expect(
      body.data.map((e: { key: string; value: number; previous: number; change: number }) => [
        e.key,
        e.value,
        e.previous,
        e.change,
      ]),
    ).toEqual([
      [krista.creatorId, 21000, 0, 21000],
      [mikko.creatorId, 4000, 0, 4000],
    ]);
    expect(body.data[0]).toMatchObject({ rank: 1, label: 'Krista' });
  });

  it('ranks videos by GPM only above the minimum of views', async () => {
    expect((await board('board=videos&by=gpm')).data).toEqual([expect.objectContaining({ key: videoId, value: 4200 })]);
    expect((await board('board=videos&by=gpm&minViews=5001')).data).toEqual([]);
  });

  it('ranks by EPC only creators with enough clicks', async () => {
    expect((await board('board=creators&by=epc')).data).toEqual([]);
    const body = await board('board=creators&by=epc&minClicks=5');
    expect(body.data.map((e: { key: string; value: number }) => [e.key, e.value])).toEqual([[krista.creatorId, 52500]]);
  });

  it('refuses GPM for codes, which have no views', async () => {
    const res = await get(brand.token, `/api/v1/analytics/leaderboards?programId=${programId}&board=codes&by=gpm`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('querystring.by');
  });
});

describe('GET /api/v1/analytics/events', () => {
  const events = async (token: string, query: string) => {
    const res = await get(token, `/api/v1/analytics/events?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    return parse(res.body, { columns: true }) as Record<string, string>[];
  };

  it('exports the raw clicks, conversions and commission entries of the period', async () => {
    const clicks = await events(brand.token, `kind=clicks&programId=${programId}`);
    expect(clicks).toHaveLength(9);
    expect(clicks.filter((c) => c.link_id === links['k-video'])).toHaveLength(4);
    const conversions = await events(brand.token, `kind=conversions&programId=${programId}`);
    expect(conversions.map((c) => c.external_id).sort()).toEqual(['S1', 'S2', 'S3', 'S4']);
    const entries = await events(brand.token, `kind=commissions&programId=${programId}`);
    expect(entries.reduce((s, e) => s + Number(e.amount), 0)).toBe(3750);
  });

  it('gives a creator only its own events', async () => {
    const clicks = await events(mikko.token, 'kind=clicks');
    expect(clicks).toHaveLength(3);
    expect(new Set(clicks.map((c) => c.creator_id))).toEqual(new Set([mikko.creatorId]));
  });
});

describe('the paid-ads planner with a video', () => {
  it("takes the video's measured CTR, conversion rate and order value", async () => {
    const res = await get(
      brand.token,
      `/api/v1/calculators/paid-ads?budget=100000&cpm=1000&currency=USD&commissionBps=1500&marginBps=5000&contentId=${videoId}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    // 4 clicks of 5000 views: 8 bp; 2 sales of 4 clicks: 5000 bp; 23000 / 2 sales.
    expect(res.json()).toMatchObject({ ctrBps: 8, conversionRateBps: 5000, averageOrderValue: 11500 });
    expect(res.json().impressions).toBe(100_000);
    expect(res.json().clicks).toBe(80);
  });
});

describe('who sees what', () => {
  it('shows a creator only its own numbers, even grouped by creator', async () => {
    const res = await analytics(mikko.token, 'groupBy=creator');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.map((r: { key: string }) => r.key)).toEqual([mikko.creatorId]);
    expect(res.json().totals).toMatchObject({ clicks: 3, sales: 1, gmv: 4000, commissions: 600 });
  });

  it("answers 404 with the field to a creator asking for another creator's numbers", async () => {
    const res = await analytics(mikko.token, `creatorId=${krista.creatorId}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.fields[0].path).toBe('querystring.creatorId');
  });

  it("answers 404 to another brand naming this brand's program or link", async () => {
    const other = await signupBrand(t.app, 'Other');
    const prog = await analytics(other.token, `programId=${programId}`);
    expect(prog.statusCode).toBe(404);
    expect(prog.json().error.fields[0].path).toBe('querystring.programId');
    const link = await analytics(other.token, `linkId=${links['k-video']}`);
    expect(link.statusCode).toBe(404);
    expect(link.json().error.fields[0].path).toBe('querystring.linkId');
  });
});

describe('bad input', () => {
  it.each([
    ['groupBy=colour', 'querystring.groupBy'],
    ['metrics=clicks,happiness', 'querystring.metrics'],
    ['orderBy=happiness', 'querystring.orderBy'],
    ['timezone=Mars/Olympus', 'querystring.timezone'],
    ['from=2026-11-10&to=2026-11-01', 'querystring.to'],
    ['from=2026-02-30', 'querystring.from'],
    ['from=2020-01-01&to=2026-11-01', 'querystring.from'],
    ['groupBy=hour&from=2026-09-01&to=2026-11-01', 'querystring.groupBy'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const res = await analytics(brand.token, `programId=${programId}&${query}`);
    expect(res.statusCode).toBe(400);
    const paths = (res.json().error.fields ?? []).map((f: { path: string }) => f.path);
    expect(
      paths.some((p: string) => p.startsWith(field)),
      JSON.stringify(res.json()),
    ).toBe(true);
  });
});
