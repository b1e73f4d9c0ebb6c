import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvedCreator,
  type Brand,
  type CreatorAccount,
  call,
  createCode,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

let t: TestApp;
let brand: Brand;
let programId: string;
let otherProgramId: string;
let krista: CreatorAccount;
let mia: CreatorAccount;

const sale = (program: string, orderId: string, couponCode: string | undefined, amount: number, token = brand.token) =>
  call(t.app, token, {
    method: 'POST',
    url: '/api/v1/track/sale',
    payload: { programId: program, orderId, currency: 'EUR', couponCode, lines: [{ amount, quantity: 1 }] },
  });

beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app, 'Aino');
  programId = (await createProgram(t.app, brand.token, validProgram)).id;
  otherProgramId = (await createProgram(t.app, brand.token, { ...validProgram, name: 'Second' })).id;
  krista = await approvedCreator(t.app, brand.token, programId, 'Krista');
  mia = await approvedCreator(t.app, brand.token, programId, 'Mia');
  await createCode(t.app, brand.token, programId, {
    creatorId: krista.creatorId,
    code: 'KRISTA10',
    discount: { type: 'percent', bps: 1000 },
  });
  await createCode(t.app, brand.token, programId, {
    creatorId: mia.creatorId,
    code: 'MIA10',
    discount: { type: 'percent', bps: 1000 },
  });
  for (const [orderId, code, amount, program] of [
    ['A-1', 'KRISTA10', 6000, programId],
    ['A-2', 'MIA10', 4000, programId],
    ['A-3', undefined, 2500, programId],
    ['A-4', 'KRISTA10', 9900, programId],
    ['B-1', undefined, 1000, otherProgramId],
  ] as const) {
    const res = await sale(program, orderId, code, amount);
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => {
  await t?.close();
});

const list = (query: string, token = brand.token) =>
  call(t.app, token, { method: 'GET', url: `/api/v1/conversions${query}` });

describe('GET /api/v1/conversions', () => {
  it("lists the workspace's conversions newest first, each with its commissions and their explanations", async () => {
    const res = await list('');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.data.map((c: { orderId: string }) => c.orderId)).toEqual(['B-1', 'A-4', 'A-3', 'A-2', 'A-1']);
    const a4 = body.data[1];
    expect(a4).toMatchObject({ attribution: 'code', code: 'KRISTA10', creatorId: krista.creatorId });
    expect(a4.commissions[0].explanation).toContain('KRISTA10');
  });

  it('filters by program, creator and attribution', async () => {
    const byCreator = (await list(`?creatorId=${krista.creatorId}`)).json();
    expect(byCreator.data.map((c: { orderId: string }) => c.orderId)).toEqual(['A-4', 'A-1']);
    const none = (await list(`?programId=${programId}&attribution=none`)).json();
    expect(none.data.map((c: { orderId: string }) => c.orderId)).toEqual(['A-3']);
  });

  it('pages with a cursor without repeating or skipping', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json();
      expect(body.data.length).toBeLessThanOrEqual(2);
      seen.push(...body.data.map((c: { orderId: string }) => c.orderId));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['B-1', 'A-4', 'A-3', 'A-2', 'A-1']);
  });

  it("shows nothing of another workspace's conversions", async () => {
    const stranger = await signupBrand(t.app, 'Stranger');
    expect((await list('', stranger.token)).json().data).toEqual([]);
  });

  it('refuses a creator with 403', async () => {
    expect((await list('', krista.token)).statusCode).toBe(403);
  });

  it('refuses an unknown attribution with 400', async () => {
    expect((await list('?attribution=magic')).statusCode).toBe(400);
  });
});
