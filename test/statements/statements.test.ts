import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commissionsService } from '../../src/commissions/service.js';
import { fixedClock } from '../../src/shared/clock.js';
import {
  approvedCreator,
  type Brand,
  type CreatorAccount,
  call,
  createCode,
  createProgram,
  PASSWORD,
  signupBrand,
  signupCreator,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

const clock = fixedClock(new Date('2026-11-20T10:00:00Z'));
let t: TestApp;
let brand: Brand;
let creator: CreatorAccount;
let programId: string;

async function sale(orderId: string, amount: number, couponCode?: string) {
  const res = await call(t.app, brand.token, {
    method: 'POST',
    url: '/api/v1/track/sale',
    payload: {
      programId,
      orderId,
      currency: 'EUR',
      ...(couponCode ? { couponCode } : {}),
      lines: [{ productId: 'p1', amount, quantity: 1 }],
    },
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

beforeAll(async () => {
  t = await startTestApp({ clock });
  brand = await signupBrand(t.app, 'Aino');
  programId = (await createProgram(t.app, brand.token, { ...validProgram, holdingDays: 10 })).id;
  creator = await approvedCreator(t.app, brand.token, programId, 'Krista');
  await createCode(t.app, brand.token, programId, {
    creatorId: creator.creatorId,
    code: 'KRISTA10',
    discount: { type: 'percent', bps: 1000 },
  });
  const ops = await signupBrand(t.app, 'Ops');
  await t.database.handle.db.updateTable('users').set({ is_operator: 1 }).where('id', '=', ops.userId).execute();
  const operator = (
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: ops.email, password: PASSWORD } })
  ).json().token;
  await call(t.app, operator, {
    method: 'PUT',
    url: `/api/v1/admin/workspaces/${brand.workspaceId}/network-fees`,
    payload: { currency: 'EUR', setupFeeAmount: 0, saleFeeBps: 300 },
  });
  // November: two sales by the creator's code (15 % of 100.00 € and of 40.00 €), one unattributed.
  await sale('nov-1', 10_000, 'KRISTA10');
  await sale('nov-2', 4_000, 'KRISTA10');
  await sale('nov-3', 2_000);
  // 5 December: the November commissions' holding period ends; 10 December: a refund of nov-2.
  clock.set(new Date('2026-12-05T10:00:00Z'));
  await commissionsService({ db: t.database.handle.db, clock }).approveDue(clock.now());
  clock.set(new Date('2026-12-10T10:00:00Z'));
  await call(t.app, brand.token, {
    method: 'POST',
    url: '/api/v1/track/refund',
    payload: { programId, orderId: 'nov-2', refundId: 'ref-1', amount: 4_000 },
  });
  await sale('dec-1', 2_000, 'KRISTA10');
});
afterAll(async () => {
  await t?.close();
});

const creatorStatement = (query: string, token = creator.token) =>
  call(t.app, token, { method: 'GET', url: `/api/v1/statements/creator?programId=${programId}&${query}` });

describe("a creator's statement", () => {
  it('lists every entry of the month with its explanation, and the month-end balances', async () => {
    const res = await creatorStatement('month=2026-11');
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.entries.map((e: { orderId: string; amount: number }) => [e.orderId, e.amount])).toEqual([
      ['nov-1', 1_500],
      ['nov-2', 600],
    ]);
    expect(s.entries[0].explanation).toMatch(/15 %/);
    expect(s.totals).toEqual({ earned: 2_100, reversed: 0, net: 2_100 });
    // At the end of November both were still pending: approval came in December.
    expect(s.closing).toEqual({ pending: 2_100, approved: 0, paid: 0 });
  });

  it('shows the next month’s approvals, the refund and the balances as they stood then', async () => {
    const s = (await creatorStatement('month=2026-12')).json();
    expect(
      s.entries.map((e: { orderId: string; kind: string; amount: number }) => [e.orderId, e.kind, e.amount]),
    ).toEqual([
      ['nov-2', 'reversal', -600],
      ['dec-1', 'sale', 300],
    ]);
    expect(s.changes.filter((c: { to: string }) => c.to === 'approved')).toHaveLength(2);
    expect(s.totals).toEqual({ earned: 300, reversed: -600, net: -300 });
    expect(s.closing.pending).toBe(300);
    expect(s.closing.approved).toBe(1_500);
  });

  it('gives the same statement as CSV with plain decimal amounts', async () => {
    const res = await creatorStatement('month=2026-11&format=csv');
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('section,date,id,order,kind,status,amount,currency,explanation');
    expect(lines.filter((l) => l.startsWith('entry,'))).toHaveLength(2);
    expect(lines).toContain('total,,,,net,,21.00,EUR,');
  });

  it('renders printable HTML in Finnish with the amounts as Finns write them', async () => {
    const res = await creatorStatement('month=2026-11&format=html&lang=fi');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("style-src 'unsafe-inline'");
    expect(res.body).toContain('<html lang="fi">');
    expect(res.body).toContain('Kuukausiraportti: marraskuu 2026');
    expect(res.body).toContain('15,00\u00a0€');
    expect(res.body).toContain('Kumppaniohjelma');
  });

  it('renders printable HTML in English', async () => {
    const res = await creatorStatement('month=2026-11&format=html');
    expect(res.body).toContain('Monthly statement: November 2026');
    expect(res.body).toContain('€15.00');
  });

  it('answers 404 for a program the creator was never in', async () => {
    const other = await signupCreator(t.app, 'Outsider');
    const res = await creatorStatement('month=2026-11', other.token);
    expect(res.statusCode).toBe(404);
  });

  it('refuses a month that is not YYYY-MM with 400', async () => {
    const res = await creatorStatement('month=2026-13');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('querystring.month');
  });

  it('gives the brand the same statement of its creator', async () => {
    const res = await call(t.app, brand.token, {
      method: 'GET',
      url: `/api/v1/programs/${programId}/statements/creator?creatorId=${creator.creatorId}&month=2026-11`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual((await creatorStatement('month=2026-11')).json());
  });
});

describe("a brand's statement", () => {
  it('sums the month’s sales, commissions and the network fee', async () => {
    const res = await call(t.app, brand.token, { method: 'GET', url: '/api/v1/statements/brand?month=2026-11' });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.programs).toEqual([
      {
        programId,
        programName: 'Revontuli Creators',
        currency: 'EUR',
        sales: 3,
        salesAmount: 16_000,
        attributedSales: 2,
        attributedAmount: 14_000,
        commissionsEarned: 2_100,
        commissionsReversed: 0,
        payoutsPaid: 0,
        payoutsPaidAmount: 0,
      },
    ]);
    // 3 % of the attributed 100.00 € and 40.00 €
    expect(s.networkFees.map((f: { kind: string; amount: number }) => [f.kind, f.amount])).toEqual([
      ['sale', 300],
      ['sale', 120],
    ]);
    expect(s.networkFeeTotals).toEqual([{ currency: 'EUR', amount: 420 }]);
  });

  it('shows the fee given back with a refund in the month of the refund', async () => {
    const s = (await call(t.app, brand.token, { method: 'GET', url: '/api/v1/statements/brand?month=2026-12' })).json();
    expect(s.networkFees.map((f: { kind: string; amount: number }) => [f.kind, f.amount])).toEqual([
      ['reversal', -120],
      ['sale', 60],
    ]);
    expect(s.programs[0].commissionsReversed).toBe(-600);
  });

  it('renders the network fees in the Finnish HTML', async () => {
    const res = await call(t.app, brand.token, {
      method: 'GET',
      url: '/api/v1/statements/brand?month=2026-11&format=html&lang=fi',
    });
    expect(res.body).toContain('Verkoston palvelumaksut');
    expect(res.body).toContain('4,20\u00a0€');
  });

  it('gives the brand statement as CSV', async () => {
    const res = await call(t.app, brand.token, {
      method: 'GET',
      url: '/api/v1/statements/brand?month=2026-11&format=csv',
    });
    const lines = res.body.trim().split('\r\n');
    expect(lines[1]).toBe(`${programId},Revontuli Creators,EUR,3,160.00,2,140.00,21.00,0.00,0,0.00`);
  });

  it('keeps a brand’s statement from a creator (403)', async () => {
    const res = await call(t.app, creator.token, { method: 'GET', url: '/api/v1/statements/brand?month=2026-11' });
    expect(res.statusCode).toBe(403);
  });
});
