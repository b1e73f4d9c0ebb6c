import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitingRefunds } from '../../src/conversions/repository.js';
import { trackResultSchema } from '../../src/conversions/schemas.js';
import { errorBody } from '../../src/http/schemas.js';
import { fixedClock } from '../../src/shared/clock.js';
import {
  approvedCreator,
  type Brand,
  type CreatorAccount,
  call,
  createKey,
  createLink,
  createProgram,
  PASSWORD,
  signupBrand,
  signupCreator,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const DAY = 86_400_000;

const clock = fixedClock(new Date('2026-11-02T10:00:00.000Z'));
let t: TestApp;
let brand: Brand;
let key: string;
let programId: string;
let dana: CreatorAccount;
let krista: CreatorAccount;
let leggings: string;

beforeAll(async () => {
  t = await startTestApp({ clock });
  brand = await signupBrand(t.app, 'Aino');
  key = await createKey(t.app, brand.token, 'manager');
  programId = (
    await createProgram(t.app, brand.token, {
      ...validProgram,
      defaultRate: { type: 'percent', bps: 1000 },
      holdingDays: 30,
      leadRewardAmount: 200,
    })
  ).id;
  dana = await approvedCreator(t.app, brand.token, programId, 'Dana Vaughan');
  krista = await approvedCreator(t.app, brand.token, programId, 'Krista Creator');
  const product = await call(t.app, brand.token, {
    method: 'POST',
    url: `/api/v1/programs/${programId}/products`,
    payload: { externalId: 'synergy-leggings', name: 'Synergy leggings', rate: { type: 'percent', bps: 2000 } },
  });
  expect(product.statusCode, product.body).toBe(201);
  leggings = product.json().id;
  const code = await call(t.app, brand.token, {
    method: 'POST',
    url: `/api/v1/programs/${programId}/codes`,
    payload: { creatorId: dana.creatorId, code: 'DANA15', discount: { type: 'percent', bps: 1500 } },
  });
  expect(code.statusCode, code.body).toBe(201);
});
afterAll(async () => {
  await t?.close();
});

let programs = 0;
/**
 * A program of its own, with Dana (code DANA15) and Krista approved: for a test that changes its
 * program's settings or reads its state, whatever ran before it.
 */
async function ownProgram(settings: object = {}) {
  const id = (
    await createProgram(t.app, brand.token, {
      ...validProgram,
      name: `Own program ${++programs}`,
      defaultRate: { type: 'percent', bps: 1000 },
      holdingDays: 30,
      ...settings,
    })
  ).id;
  const ownDana = await approvedCreator(t.app, brand.token, id, 'Dana Vaughan');
  const ownKrista = await approvedCreator(t.app, brand.token, id, 'Krista Creator');
  const code = await call(t.app, brand.token, {
    method: 'POST',
    url: `/api/v1/programs/${id}/codes`,
    payload: { creatorId: ownDana.creatorId, code: 'DANA15', discount: { type: 'percent', bps: 1500 } },
  });
  expect(code.statusCode, code.body).toBe(201);
  return { programId: id, dana: ownDana, krista: ownKrista };
}

async function clickOf(creator: CreatorAccount, slug: string, ua = IPHONE, inProgram = programId): Promise<string> {
  await createLink(t.app, creator.token, {
    programId: inProgram,
    slug,
    destinationUrl: 'https://shop.example.com/leggings',
  });
  const res = await t.app.inject({ method: 'GET', url: `/${slug}`, headers: { 'user-agent': ua } });
  expect(res.statusCode).toBe(302);
  const id = new URL(res.headers.location as string).searchParams.get('kclid');
  expect(id).toMatch(/^clk_/);
  return id as string;
}

function sale(body: object, token = key) {
  return call(t.app, token, {
    method: 'POST',
    url: '/api/v1/track/sale',
    payload: { programId, currency: 'EUR', ...body },
  });
}
function refund(body: object) {
  return call(t.app, key, { method: 'POST', url: '/api/v1/track/refund', payload: { programId, ...body } });
}
async function balanceOf(creator: CreatorAccount) {
  const res = await call(t.app, creator.token, {
    method: 'GET',
    url: `/api/v1/creators/${creator.creatorId}/balance?programId=${programId}`,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('POST /api/v1/track/sale', () => {
  it('answers a body over the limit with 413 and records nothing', async () => {
    const res = await sale({
      orderId: 'HUGE-1',
      lines: [{ productId: 'x'.repeat(t.config.bodyLimit), amount: 100, quantity: 1 }],
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    const stored = await t.database.handle.db
      .selectFrom('conversions')
      .select('id')
      .where('external_id', '=', 'HUGE-1')
      .execute();
    expect(stored).toHaveLength(0);
  });

  it('attributes a sale by code and explains each line', async () => {
    const res = await sale({
      orderId: 'A-1001',
      couponCode: 'dana15',
      lines: [
        { productId: 'synergy-leggings', amount: 6000, quantity: 1, discountAmount: 1059 },
        { productId: 'socks', name: 'Wool socks', amount: 1500, quantity: 3 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ duplicate: false, status: 'recorded' });
    expect(body.conversion).toMatchObject({
      attribution: 'code',
      creatorId: dana.creatorId,
      amount: 7500,
      code: 'DANA15',
    });
    const [first, second] = body.conversion.commissions;
    expect(first).toMatchObject({ amount: 1200, status: 'pending', rateSource: 'product', lineNo: 1 });
    expect(first.explanation).toBe(
      '12.00 € = 20 % of 60.00 € (Synergy leggings, after the 15 % DANA15 discount), code DANA15 of Dana Vaughan, product rate',
    );
    expect(second).toMatchObject({ amount: 150, rateSource: 'program' });
    expect(second.explanation).toContain('1.50 € = 10 % of 15.00 € (Wool socks');
    // The creator reads its own commission with the same sentence.
    const own = await call(t.app, dana.token, { method: 'GET', url: `/api/v1/commissions/${first.id}` });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ orderId: 'A-1001', attribution: 'code', explanation: first.explanation });
    const other = await call(t.app, krista.token, { method: 'GET', url: `/api/v1/commissions/${first.id}` });
    expect(other.statusCode).toBe(404);
    // The answer is built from what was written; a later read finds exactly the same.
    const read = await call(t.app, key, { method: 'GET', url: `/api/v1/conversions/${body.conversion.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(body.conversion);
  });

  it('answers a sale by click, an unattributed sale and a held sale exactly as a later read finds them', async () => {
    const clickId = await clickOf(krista, 'krista/answer-check');
    const bodies = [
      {
        orderId: 'V-1',
        clickId,
        customerEmail: 'someone@example.com',
        lines: [{ productId: leggings, amount: 4000, quantity: 2 }],
      },
      { orderId: 'V-2', lines: [{ productId: 'unknown', amount: 999, quantity: 1 }] },
      {
        orderId: 'V-3',
        couponCode: 'DANA15',
        referrer: 'https://www.retailmenot.com/x',
        lines: [{ amount: 2500, quantity: 1 }],
      },
    ];
    const answers = [];
    for (const b of bodies) {
      const res = await sale(b);
      expect(res.statusCode, res.body).toBe(201);
      const conversion = res.json().conversion;
      const read = await call(t.app, key, { method: 'GET', url: `/api/v1/conversions/${conversion.id}` });
      expect(read.json()).toEqual(conversion);
      answers.push(res.json());
    }
    // The three cases are what the title says: by click, unattributed, held.
    expect(answers.map((a) => [a.status, a.conversion.attribution])).toEqual([
      ['recorded', 'click'],
      ['unattributed', null],
      ['recorded', 'code'],
    ]);
    expect(answers[0].conversion.commissions.map((c: { hold: unknown }) => c.hold)).toEqual([null]);
    expect(answers[2].conversion.commissions.map((c: { hold: { reason: string } | null }) => c.hold?.reason)).toEqual([
      'coupon_site_referrer',
    ]);
  });

  it('answers a repeated order like the first and counts it once; other contents under the same id are a conflict', async () => {
    const body = {
      orderId: 'A-1002',
      couponCode: 'DANA15',
      lines: [{ productId: leggings, amount: 5000, quantity: 1 }],
    };
    const first = await sale(body);
    expect(first.statusCode).toBe(201);
    const again = await sale(body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true, status: 'duplicate', commissionIds: [] });
    expect(again.json().conversion.id).toBe(first.json().conversion.id);
    expect(again.json().conversion.commissions).toHaveLength(1);
    const changed = await sale({ ...body, lines: [{ productId: leggings, amount: 5001, quantity: 1 }] });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.code).toBe('CONVERSION_CONFLICT');
  });

  it('attributes by the last click in the window, not by a bot click, and a click outside the window earns nothing', async () => {
    const own = await ownProgram();
    const ownSale = (body: object) => sale({ programId: own.programId, ...body });
    const clickId = await clickOf(own.krista, 'krista/tiktok-1', IPHONE, own.programId);
    const res = await ownSale({ orderId: 'B-1', clickId, lines: [{ productId: 'mat', amount: 4000, quantity: 1 }] });
    expect(res.json().conversion).toMatchObject({ attribution: 'click', creatorId: own.krista.creatorId });
    expect(res.json().conversion.commissions[0].explanation).toMatch(
      /^4\.00 € = 10 % of 40\.00 € \(mat\), click on Krista Creator's link krista\/tiktok-1 the same day, program rate$/,
    );

    const botClick = await clickOf(own.krista, 'krista/bot', 'Mozilla/5.0 (compatible; Googlebot/2.1)', own.programId);
    const bot = await ownSale({ orderId: 'B-2', clickId: botClick, lines: [{ amount: 4000, quantity: 1 }] });
    expect(bot.json()).toMatchObject({ status: 'unattributed', conversion: { attribution: null, commissions: [] } });
    expect(bot.json().summary).toContain('bot');

    clock.advance(31 * DAY);
    const late = await ownSale({ orderId: 'B-3', clickId, lines: [{ amount: 4000, quantity: 1 }] });
    expect(late.json().status).toBe('unattributed');
    expect(late.json().summary).toContain('older than the 30-day window');
    clock.advance(-31 * DAY);
  });

  it('lets a code win over a click of another creator, and records what it passed over', async () => {
    const own = await ownProgram();
    const clickId = await clickOf(own.krista, 'krista/tiktok-2', IPHONE, own.programId);
    const res = await sale({
      programId: own.programId,
      orderId: 'B-4',
      clickId,
      couponCode: 'DANA15',
      lines: [{ amount: 1000, quantity: 1 }],
    });
    expect(res.json().conversion).toMatchObject({ attribution: 'code', creatorId: own.dana.creatorId });
    expect(res.json().conversion.evidence.passedOver[0]).toContain('codes win over clicks');
  });

  it('keeps a returning customer with the creator who first won them only as long as the duration allows', async () => {
    // The program pays on the first order only, until this test changes it.
    const own = await ownProgram({ commissionDuration: { type: 'first_order' } });
    const ownSale = (body: object) => sale({ programId: own.programId, ...body });
    const first = await ownSale({
      orderId: 'C-1',
      customerId: 'cust-9',
      couponCode: 'DANA15',
      lines: [{ amount: 1000, quantity: 1 }],
    });
    expect(first.json().conversion.attribution).toBe('code');
    const second = await ownSale({ orderId: 'C-2', customerId: 'cust-9', lines: [{ amount: 1000, quantity: 1 }] });
    expect(second.json().status).toBe('unattributed');
    const patched = await call(t.app, brand.token, {
      method: 'PATCH',
      url: `/api/v1/programs/${own.programId}`,
      payload: { commissionDuration: { type: 'months', months: 6 } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const third = await ownSale({
      orderId: 'C-3',
      customerEmail: 'x@example.com',
      customerId: 'cust-9',
      lines: [{ amount: 1000, quantity: 1 }],
    });
    expect(third.json().conversion).toMatchObject({ attribution: 'customer', creatorId: own.dana.creatorId });
    expect(third.json().conversion.commissions[0].explanation).toContain(
      'returning customer first won by Dana Vaughan',
    );
    clock.advance(200 * DAY);
    try {
      const late = await ownSale({ orderId: 'C-4', customerId: 'cust-9', lines: [{ amount: 1000, quantity: 1 }] });
      expect(late.json().status).toBe('unattributed');
    } finally {
      clock.advance(-200 * DAY);
    }
  });

  it('converts a sale in another currency with the operator’s rate and keeps the original', async () => {
    const missing = await sale({
      orderId: 'FX-1',
      currency: 'USD',
      couponCode: 'DANA15',
      lines: [{ amount: 10000, quantity: 1 }],
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.code).toBe('EXCHANGE_RATE_MISSING');
    await t.database.handle.db.updateTable('users').set({ is_operator: 1 }).where('id', '=', brand.userId).execute();
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: brand.email, password: PASSWORD },
    });
    const operator = login.json().token as string;
    const put = await call(t.app, operator, {
      method: 'PUT',
      url: '/api/v1/exchange-rates/USD/EUR',
      payload: { rate: '0.9214' },
    });
    expect(put.statusCode, put.body).toBe(200);
    const denied = await call(t.app, key, {
      method: 'PUT',
      url: '/api/v1/exchange-rates/USD/EUR',
      payload: { rate: '1' },
    });
    expect(denied.statusCode).toBe(403);
    const res = await sale({
      orderId: 'FX-1',
      currency: 'USD',
      couponCode: 'DANA15',
      lines: [{ amount: 10000, quantity: 1 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().conversion).toMatchObject({
      amount: 9214,
      currency: 'EUR',
      originalAmount: 10000,
      originalCurrency: 'USD',
      exchangeRate: '0.9214',
    });
    expect(res.json().conversion.commissions[0]).toMatchObject({ amount: 921 });
    expect(res.json().conversion.commissions[0].explanation).toContain('sold for $100.00 at 0.9214');
  });

  it("pays a creator the tier rate once the month's sales reach the tier, this order included", async () => {
    const tiered = (
      await createProgram(t.app, brand.token, {
        ...validProgram,
        name: 'Tiered program',
        defaultRate: { type: 'percent', bps: 1000 },
        tiers: [{ thresholdAmount: 10_000, rate: { type: 'percent', bps: 1500 } }],
      })
    ).id;
    const mia = await approvedCreator(t.app, brand.token, tiered, 'Mia Tiers');
    const other = await approvedCreator(t.app, brand.token, tiered, 'Otto Other');
    for (const [creator, code] of [
      [mia, 'MIA10'],
      [other, 'OTTO10'],
    ] as const) {
      const made = await call(t.app, brand.token, {
        method: 'POST',
        url: `/api/v1/programs/${tiered}/codes`,
        payload: { creatorId: creator.creatorId, code, discount: { type: 'percent', bps: 1000 } },
      });
      expect(made.statusCode, made.body).toBe(201);
    }
    const tieredSale = async (orderId: string, couponCode: string, amount: number) => {
      const res = await call(t.app, key, {
        method: 'POST',
        url: '/api/v1/track/sale',
        payload: { programId: tiered, orderId, currency: 'EUR', couponCode, lines: [{ amount, quantity: 1 }] },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().conversion.commissions[0];
    };
    // 60.00 € this month: below the tier, the program rate.
    expect(await tieredSale('T-1', 'MIA10', 6000)).toMatchObject({ amount: 600, rateSource: 'program' });
    // 60.00 + 50.00 € = 110.00 € with this order: the tier's 15 %.
    const second = await tieredSale('T-2', 'MIA10', 5000);
    expect(second).toMatchObject({ amount: 750, rateSource: 'tier' });
    expect(second.explanation).toContain('tier rate for over 100.00 € of sales this month');
    // Another creator's month is their own.
    expect(await tieredSale('T-3', 'OTTO10', 5000)).toMatchObject({ amount: 500, rateSource: 'program' });
  });

  it("keeps the earlier rate for creators already enrolled until a cut's notice ends; a new creator gets the cut at once", async () => {
    const program = (
      await createProgram(t.app, brand.token, {
        ...validProgram,
        name: 'Cut program',
        defaultRate: { type: 'percent', bps: 1000 },
        rateCutNoticeDays: 30,
      })
    ).id;
    const early = await approvedCreator(t.app, brand.token, program, 'Eero Early');
    const codeOf = async (creator: CreatorAccount, code: string) => {
      const made = await call(t.app, brand.token, {
        method: 'POST',
        url: `/api/v1/programs/${program}/codes`,
        payload: { creatorId: creator.creatorId, code, discount: { type: 'percent', bps: 1000 } },
      });
      expect(made.statusCode, made.body).toBe(201);
      return code;
    };
    const cutSale = async (orderId: string, couponCode: string) => {
      const res = await call(t.app, key, {
        method: 'POST',
        url: '/api/v1/track/sale',
        payload: { programId: program, orderId, currency: 'EUR', couponCode, lines: [{ amount: 10_000, quantity: 1 }] },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().conversion.commissions[0];
    };
    const earlyCode = await codeOf(early, 'EERO10');
    expect(await cutSale('C-1', earlyCode)).toMatchObject({ amount: 1000, rateSource: 'program' }); // fills the cache
    clock.advance(DAY);
    const patched = await call(t.app, brand.token, {
      method: 'PATCH',
      url: `/api/v1/programs/${program}`,
      payload: { defaultRate: { type: 'percent', bps: 500 } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    try {
      const protectedSale = await cutSale('C-2', earlyCode);
      expect(protectedSale).toMatchObject({ amount: 1000, rateSource: 'program' });
      expect(protectedSale.explanation).toContain('the earlier, higher rate applies until');
      const late = await approvedCreator(t.app, brand.token, program, 'Liisa Late');
      expect(await cutSale('C-3', await codeOf(late, 'LIISA10'))).toMatchObject({ amount: 500, rateSource: 'program' });
      clock.advance(31 * DAY);
      expect(await cutSale('C-4', earlyCode)).toMatchObject({ amount: 500, rateSource: 'program' });
    } finally {
      clock.advance(-32 * DAY);
    }
  });

  it('refuses bad input with the failing fields and stores nothing', async () => {
    const before = await t.database.handle.db.selectFrom('conversions').select('id').execute();
    for (const lines of [
      [{ amount: -1, quantity: 1 }],
      [{ amount: 10.5, quantity: 1 }],
      [{ amount: '100', quantity: 1 }],
      [],
    ]) {
      const res = await sale({ orderId: 'BAD-1', lines });
      expect(res.statusCode, JSON.stringify(lines)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.fields.length).toBeGreaterThan(0);
    }
    const currency = await sale({ orderId: 'BAD-2', currency: 'EUX', lines: [{ amount: 1, quantity: 1 }] });
    expect(currency.statusCode).toBe(400);
    const unknownField = await sale({ orderId: 'BAD-3', lines: [{ amount: 1, quantity: 1 }], tip: 5 });
    expect(unknownField.statusCode).toBe(400);
    const other = await signupBrand(t.app, 'Other');
    const foreign = await sale(
      { orderId: 'BAD-4', lines: [{ amount: 1, quantity: 1 }] },
      await createKey(t.app, other.token, 'manager'),
    );
    expect(foreign.statusCode).toBe(404);
    const missing = await call(t.app, key, {
      method: 'POST',
      url: '/api/v1/track/sale',
      payload: { programId: 'prg_missing', orderId: 'x', currency: 'EUR', lines: [{ amount: 1, quantity: 1 }] },
    });
    expect(missing.statusCode).toBe(404);
    const viewer = await sale(
      { orderId: 'BAD-5', lines: [{ amount: 1, quantity: 1 }] },
      await createKey(t.app, brand.token, 'viewer'),
    );
    expect(viewer.statusCode).toBe(403);
    const after = await t.database.handle.db.selectFrom('conversions').select('id').execute();
    expect(after.length).toBe(before.length);
  });
});

describe('POST /api/v1/track/refund', () => {
  it('reverses exactly the refunded part of each line, and a full refund nets the order to zero', async () => {
    const placed = await sale({
      orderId: 'R-1',
      couponCode: 'DANA15',
      lines: [
        { productId: leggings, lineId: 'l1', amount: 6000, quantity: 2 },
        { lineId: 'l2', name: 'Cap', amount: 999, quantity: 1 },
      ],
    });
    expect(placed.statusCode).toBe(201);
    const before = await balanceOf(dana);
    const partial = await refund({ orderId: 'R-1', refundId: 're_1', lines: [{ lineId: 'l1', amount: 3000 }] });
    expect(partial.statusCode, partial.body).toBe(201);
    const reversal = partial.json().conversion.commissions.find((c: { kind: string }) => c.kind === 'reversal');
    expect(reversal).toMatchObject({ amount: -600, status: 'reversed', lineNo: 1 });
    expect(reversal.explanation).toBe('−6.00 € reversed: 30.00 € of Synergy leggings refunded (refund re_1)');
    expect((await balanceOf(dana)).pending).toBe(before.pending - 600);

    const repeat = await refund({ orderId: 'R-1', refundId: 're_1', lines: [{ lineId: 'l1', amount: 3000 }] });
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json()).toMatchObject({ duplicate: true, commissionIds: [] });
    expect((await balanceOf(dana)).pending).toBe(before.pending - 600);

    const rest = await refund({ orderId: 'R-1', refundId: 're_2', amount: 3000 + 999 });
    expect(rest.statusCode).toBe(201);
    const entries = rest.json().conversion.commissions as { amount: number; status: string; kind: string }[];
    expect(entries.reduce((s, e) => s + e.amount, 0)).toBe(0);
    expect(entries.filter((e) => e.kind === 'sale').map((e) => e.status)).toEqual(['reversed', 'reversed']);
    expect((await balanceOf(dana)).pending).toBe(before.pending - 1200 - 100);
  });

  it('keeps a refund that arrives before its sale and applies it when the sale comes', async () => {
    const early = await refund({
      orderId: 'R-2',
      refundId: 're_early',
      lines: [{ productId: leggings, amount: 6000 }],
    });
    expect(early.statusCode).toBe(201);
    expect(early.json()).toMatchObject({ status: 'refund_waiting_for_sale', conversion: null });
    const placed = await sale({
      orderId: 'R-2',
      couponCode: 'DANA15',
      lines: [{ productId: leggings, amount: 6000, quantity: 1 }],
    });
    const entries = placed.json().conversion.commissions as { amount: number }[];
    expect(entries.map((e) => e.amount).sort()).toEqual([-1200, 1200].sort());
  });

  it('finds every product of an order with more products than one lookup takes, by either id', async () => {
    const made: { id: string; externalId: string; bps: number }[] = [];
    for (let i = 1; i <= 5; i++) {
      const res = await call(t.app, brand.token, {
        method: 'POST',
        url: `/api/v1/programs/${programId}/products`,
        payload: { externalId: `multi-${i}`, name: `Multi ${i}`, rate: { type: 'percent', bps: 1000 + 100 * i } },
      });
      expect(res.statusCode, res.body).toBe(201);
      made.push({ id: res.json().id, externalId: `multi-${i}`, bps: 1000 + 100 * i });
    }
    const res = await sale({
      orderId: 'M-1',
      couponCode: 'DANA15',
      lines: [
        ...made.map((p, i) => ({ productId: i % 2 === 0 ? p.id : p.externalId, amount: 10000, quantity: 1 })),
        { productId: 'not-a-product', name: 'Gift card', amount: 10000, quantity: 1 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const entries = res.json().conversion.commissions as { lineNo: number; amount: number; rateSource: string }[];
    expect(entries.map((e) => [e.lineNo, e.rateSource, e.amount])).toEqual([
      ...made.map((p, i) => [i + 1, 'product', p.bps]),
      [6, 'program', 1000],
    ]);
  });

  it('finds the waiting refunds of every id an order is known by, in the order they happened', async () => {
    const orderIds = ['W-1', 'W-2', 'W-3', 'W-4', 'W-5', 'W-6'];
    // Refunds under ids of both lookup groups, happening in an order that interleaves the groups.
    const happened = [
      ['W-6', 're_w_a', '2026-11-01T08:00:00.000Z'],
      ['W-1', 're_w_b', '2026-11-01T09:00:00.000Z'],
      ['W-5', 're_w_c', '2026-11-01T10:00:00.000Z'],
      ['W-2', 're_w_d', '2026-11-01T11:00:00.000Z'],
    ] as const;
    for (const [orderId, refundId, occurredAt] of [...happened].reverse()) {
      const res = await refund({ orderId, refundId, occurredAt, amount: 100 });
      expect(res.statusCode, res.body).toBe(201);
    }
    const found = await waitingRefunds(t.database.handle.db, programId, orderIds);
    expect(found.map((r) => r.external_id)).toEqual(happened.map(([, refundId]) => refundId));
    expect(await waitingRefunds(t.database.handle.db, programId, ['W-5', 'W-6'])).toHaveLength(2);
    expect(await waitingRefunds(t.database.handle.db, programId, [])).toEqual([]);
  });

  it('turns a refund of a paid commission into a negative payable entry', async () => {
    const placed = await sale({
      orderId: 'R-3',
      couponCode: 'DANA15',
      lines: [{ productId: leggings, amount: 1000, quantity: 1 }],
    });
    const id = placed.json().conversion.commissions[0].id;
    await t.database.handle.db.updateTable('commissions').set({ status: 'paid' }).where('id', '=', id).execute();
    const before = await balanceOf(dana);
    const res = await refund({ orderId: 'R-3', refundId: 're_3', amount: 1000 });
    const reversal = res.json().conversion.commissions.find((c: { kind: string }) => c.kind === 'reversal');
    expect(reversal).toMatchObject({ amount: -200, status: 'approved' });
    expect(reversal.explanation).toContain('already paid, so the next payout deducts this');
    const after = await balanceOf(dana);
    expect(after.approved).toBe(before.approved - 200);
    expect(after.paid).toBe(before.paid);
  });
});

describe('POST /api/v1/track/lead', () => {
  it('pays the program’s lead reward once for an attributed lead', async () => {
    const clickId = await clickOf(krista, 'krista/lead');
    const res = await call(t.app, key, {
      method: 'POST',
      url: '/api/v1/track/lead',
      payload: { programId, leadId: 'signup-1', clickId },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().conversion.commissions[0]).toMatchObject({ kind: 'lead', amount: 200 });
    expect(res.json().conversion.commissions[0].explanation).toContain('2.00 € for a lead (signup-1)');
    const again = await call(t.app, key, {
      method: 'POST',
      url: '/api/v1/track/lead',
      payload: { programId, leadId: 'signup-1', clickId },
    });
    expect(again.statusCode).toBe(200);
  });
});

describe('the track answers', () => {
  it('keep to the answer schema for every kind of delivery, and errors keep to the error body', async () => {
    const clickId = await clickOf(dana, 'dana/contract');
    const order = {
      orderId: 'S-1',
      couponCode: 'DANA15',
      lines: [
        { productId: 'synergy-leggings', amount: 6000, quantity: 1 },
        { productId: 'socks', name: 'Wool socks', amount: 1500, quantity: 3 },
      ],
    };
    // Each delivery with the one status it must answer: 201 for what it records, 200 for a repeat.
    const deliveries: [number, () => ReturnType<typeof sale>][] = [
      [201, () => sale(order)],
      [200, () => sale(order)], // a repeat: answered like the first
      [
        201,
        () =>
          sale({
            orderId: 'S-2',
            clickId,
            customerEmail: 'buyer@example.com',
            lines: [{ amount: 999, quantity: 1 }],
          }),
      ],
      [201, () => sale({ orderId: 'S-3', lines: [{ amount: 100, quantity: 1 }] })],
      [
        201,
        () =>
          refund({
            orderId: 'S-1',
            refundId: 're_contract',
            lines: [{ productId: 'synergy-leggings', amount: 3000 }],
          }),
      ],
      [201, () => refund({ orderId: 'S-9', refundId: 're_waiting', amount: 500 })],
      [201, () => sale({ orderId: 'S-9', lines: [{ amount: 1000, quantity: 1 }] })],
      [
        201,
        () =>
          call(t.app, key, {
            method: 'POST',
            url: '/api/v1/track/lead',
            payload: { programId, leadId: 'contract-lead', clickId },
          }),
      ],
    ];
    // Each answer is read back at once, before the next delivery changes its conversion.
    for (const [status, deliver] of deliveries) {
      const res = await deliver();
      expect(res.statusCode, res.body).toBe(status);
      const body = res.json();
      expect(trackResultSchema.parse(body)).toEqual(body);
      if (body.conversion) {
        const read = await call(t.app, key, { method: 'GET', url: `/api/v1/conversions/${body.conversion.id}` });
        expect(read.json()).toEqual(body.conversion);
      }
    }
    const errors = [
      await sale({ orderId: 'S-1', lines: [{ amount: 1, quantity: 1 }] }),
      await sale({ orderId: 'S-4', lines: [{ amount: -1, quantity: 1 }] }),
      await sale({ orderId: 'S-5', currency: 'XYZ', lines: [{ amount: 1, quantity: 1 }] }),
    ];
    expect(errors.map((e) => e.statusCode)).toEqual([409, 400, 400]);
    for (const res of errors) expect(errorBody.parse(res.json())).toEqual(res.json());
  });
});

describe('the commission lifecycle', () => {
  it('approves after the holding period, never while held, and a manager releases or rejects with a reason', async () => {
    const placed = await sale({
      orderId: 'L-1',
      couponCode: 'DANA15',
      lines: [{ productId: leggings, amount: 2000, quantity: 1 }],
    });
    const id = placed.json().conversion.commissions[0].id as string;
    const events = () =>
      t.database.handle.db
        .selectFrom('commission_events')
        .select(['from_status', 'to_status', 'reason'])
        .where('commission_id', '=', id)
        .orderBy('id')
        .execute();
    // The commission's row is the record of its creation; events are the changes that follow.
    expect(await events()).toEqual([]);
    await t.database.handle.db
      .updateTable('commissions')
      .set({ hold_reason: 'self_referral', hold_detail: 'The buyer is the creator.' })
      .where('id', '=', id)
      .execute();
    const held = await call(t.app, key, { method: 'GET', url: '/api/v1/commissions?held=true' });
    expect(held.json().data.map((c: { id: string }) => c.id)).toContain(id);

    const { commissionsService } = await import('../../src/commissions/service.js');
    const service = commissionsService({ db: t.database.handle.db, clock });
    const later = new Date(clock.now().getTime() + 31 * DAY);
    await service.approveDue(later);
    expect((await call(t.app, key, { method: 'GET', url: `/api/v1/commissions/${id}` })).json()).toMatchObject({
      status: 'pending',
      hold: { reason: 'self_referral' },
    });
    const released = await call(t.app, key, {
      method: 'POST',
      url: `/api/v1/commissions/${id}/release`,
      payload: { note: 'checked' },
    });
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json()).toMatchObject({ hold: null, status: 'pending' });
    expect(await service.approveDue(later)).toBeGreaterThan(0);
    expect((await call(t.app, key, { method: 'GET', url: `/api/v1/commissions/${id}` })).json().status).toBe(
      'approved',
    );

    const notHeld = await call(t.app, key, { method: 'POST', url: `/api/v1/commissions/${id}/release`, payload: {} });
    expect(notHeld.statusCode).toBe(422);
    const noReason = await call(t.app, key, { method: 'POST', url: `/api/v1/commissions/${id}/reject`, payload: {} });
    expect(noReason.statusCode).toBe(400);
    const rejected = await call(t.app, key, {
      method: 'POST',
      url: `/api/v1/commissions/${id}/reject`,
      payload: { reason: 'order cancelled by the shop' },
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', statusReason: 'order cancelled by the shop' });
    expect((await events()).map((e) => `${e.from_status} → ${e.to_status}`)).toEqual([
      'pending → pending',
      'pending → approved',
      'approved → rejected',
    ]);
    const creatorTry = await call(t.app, dana.token, {
      method: 'POST',
      url: `/api/v1/commissions/${id}/reject`,
      payload: { reason: 'x' },
    });
    expect(creatorTry.statusCode).toBe(403);
  });

  it('shows a creator only its own commissions and balance', async () => {
    // A program of its own where each creator earns: Krista two commissions, Dana one.
    const own = await ownProgram();
    const clickId = await clickOf(own.krista, 'krista/own-list', IPHONE, own.programId);
    for (const [orderId, body] of [
      ['O-1', { clickId }],
      ['O-2', { clickId }],
      ['O-3', { couponCode: 'DANA15' }],
    ] as const) {
      const res = await sale({ programId: own.programId, orderId, lines: [{ amount: 1000, quantity: 1 }], ...body });
      expect(res.statusCode, res.body).toBe(201);
    }
    const mine = await call(t.app, own.krista.token, { method: 'GET', url: '/api/v1/commissions?limit=200' });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().data.map((c: { creatorId: string; orderId: string }) => [c.creatorId, c.orderId])).toEqual([
      [own.krista.creatorId, 'O-2'],
      [own.krista.creatorId, 'O-1'],
    ]);
    const theirs = await call(t.app, own.krista.token, {
      method: 'GET',
      url: `/api/v1/creators/${own.dana.creatorId}/balance?programId=${own.programId}`,
    });
    expect(theirs.statusCode).toBe(404);
    const stranger = await signupCreator(t.app, 'Stranger');
    const none = await call(t.app, stranger.token, { method: 'GET', url: '/api/v1/commissions' });
    expect(none.json().data).toEqual([]);
  });
});
