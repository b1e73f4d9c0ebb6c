import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.js';
import {
  approvedCreator,
  type Brand,
  type CreatorAccount,
  call,
  createKey,
  createLink,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const DAY = 86_400_000;

const clock = fixedClock(new Date('2026-10-01T12:00:00.000Z'));
let t: TestApp;
let brand: Brand;
let key: string;
let order = 0;

beforeAll(async () => {
  t = await startTestApp({ clock });
  brand = await signupBrand(t.app, 'Aino');
  key = await createKey(t.app, brand.token, 'manager');
});
afterAll(async () => {
  await t?.close();
});

/** A program of its own for each test, with Dana and her code DANA15: no test sees another's flags. */
interface World {
  programId: string;
  dana: CreatorAccount;
  codeId: string;
}
let w: World;
beforeEach(async () => {
  const programId = (
    await createProgram(t.app, brand.token, { ...validProgram, defaultRate: { type: 'percent', bps: 1000 } })
  ).id;
  const dana = await approvedCreator(t.app, brand.token, programId, 'Dana Vaughan');
  const code = await call(t.app, key, {
    method: 'POST',
    url: `/api/v1/programs/${programId}/codes`,
    payload: { creatorId: dana.creatorId, code: 'DANA15', discount: { type: 'percent', bps: 1500 } },
  });
  expect(code.statusCode, code.body).toBe(201);
  w = { programId, dana, codeId: code.json().id };
});

async function sale(extra: object = {}) {
  order++;
  const res = await call(t.app, key, {
    method: 'POST',
    url: '/api/v1/track/sale',
    payload: {
      programId: w.programId,
      orderId: `F-${order}`,
      currency: 'EUR',
      lines: [{ amount: 4000, quantity: 1 }],
      ...extra,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().conversion.commissions[0] as { id: string; hold: { reason: string; detail: string } | null };
}

async function fraudSettings(payload: object) {
  const res = await call(t.app, key, {
    method: 'PUT',
    url: `/api/v1/programs/${w.programId}/fraud-settings`,
    payload,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('fraud flags', () => {
  it('holds a sale whose buyer is the creator', async () => {
    const held = await sale({ couponCode: 'DANA15', customerEmail: w.dana.email.toUpperCase() });
    expect(held.hold).toMatchObject({ reason: 'self_referral' });
    expect((await sale({ couponCode: 'DANA15', customerEmail: 'someone@example.com' })).hold).toBeNull();
  });

  it('holds a sale won by a click whose visitor clicked the link abnormally often', async () => {
    const slug = `dana/spam-${order}`;
    await createLink(t.app, w.dana.token, {
      programId: w.programId,
      slug,
      destinationUrl: 'https://shop.example.com/',
    });
    let clickId = '';
    for (let i = 0; i < 22; i++) {
      const res = await t.app.inject({ method: 'GET', url: `/${slug}`, headers: { 'user-agent': IPHONE } });
      clickId = new URL(res.headers.location as string).searchParams.get('kclid') as string;
    }
    expect((await sale({ clickId })).hold).toMatchObject({ reason: 'click_spam' });
    const settings = await fraudSettings({ clickSpamThreshold: 50 });
    expect(settings).toMatchObject({ clickSpamThreshold: 50 });
    expect((await sale({ clickId })).hold).toBeNull();
  });

  it('holds sales from coupon-sharing referrers, built-in or the program’s own', async () => {
    const settings = await fraudSettings({ couponSiteDomains: ['alennuskoodit.example'] });
    expect(settings).toMatchObject({ couponSiteDomains: ['alennuskoodit.example'] });
    expect(settings.builtInCouponSites).toContain('retailmenot.com');
    expect((await sale({ couponCode: 'DANA15', referrer: 'https://www.slickdeals.net/f/123' })).hold).toMatchObject({
      reason: 'coupon_site_referrer',
    });
    expect(
      (await sale({ couponCode: 'DANA15', referrer: 'https://deals.alennuskoodit.example/x' })).hold,
    ).toMatchObject({
      reason: 'coupon_site_referrer',
    });
    // The coupon-site uses opened an alert on DANA15: its next sale, from anywhere, is held too.
    expect((await sale({ couponCode: 'DANA15', referrer: 'https://www.tiktok.com/' })).hold).toMatchObject({
      reason: 'possible_leaked_code',
    });
  });
});

describe('possible leaked codes', () => {
  it('never flags a steady code-only pattern, flags a sudden change, holds until resolved, and shows it in the health report', async () => {
    const open = await call(t.app, key, { method: 'GET', url: `/api/v1/programs/${w.programId}/code-alerts` });
    expect(open.json().data).toEqual([]);
    // Three weeks of two or three code-only uses a day, half by returning customers.
    for (let d = 0; d < 21; d++) {
      clock.advance(DAY);
      for (let i = 0; i < 2 + (d % 2); i++) {
        const held = await sale({ couponCode: 'DANA15', customerId: i === 0 ? 'regular-1' : `new-${d}-${i}` });
        expect(held.hold, `day ${d}`).toBeNull();
      }
    }
    clock.advance(DAY);
    const spike: Awaited<ReturnType<typeof sale>>[] = [];
    for (let i = 0; i < 16; i++) spike.push(await sale({ couponCode: 'DANA15', customerId: `stranger-${i}` }));
    // The spike is seen at its tenth new-customer use of the day: that sale and every later one are held.
    expect(spike.map((c) => c.hold?.reason ?? null)).toEqual([
      ...Array.from({ length: 9 }, () => null),
      ...Array.from({ length: 7 }, () => 'possible_leaked_code'),
    ]);
    const last = spike[15];

    const alerts = await call(t.app, key, { method: 'GET', url: `/api/v1/programs/${w.programId}/code-alerts` });
    expect(alerts.json().data).toHaveLength(1);
    const alert = alerts.json().data[0];
    expect(alert).toMatchObject({ codeId: w.codeId, code: 'DANA15', reason: 'spike', status: 'open' });
    expect(alert.heldCommissions).toBe(7);

    const health = await call(t.app, w.dana.token, { method: 'GET', url: `/api/v1/codes/${w.codeId}/health?days=30` });
    expect(health.statusCode, health.body).toBe(200);
    expect(health.json()).toMatchObject({ code: 'DANA15', status: 'alert' });
    expect(health.json().usesPerDay).toHaveLength(30);
    // 52 uses over three weeks and 16 on the spike day, none with a click from Dana's links; new
    // customers: the regular's first order, every other steady use, and the 16 strangers.
    expect(health.json()).toMatchObject({ uses: 52 + 16, noClickShare: 1, newCustomerShare: (1 + 31 + 16) / 68 });

    const resolved = await call(t.app, key, {
      method: 'POST',
      url: `/api/v1/code-alerts/${alert.id}/resolve`,
      payload: { resolution: 'not_leaked', note: 'the new video went viral' },
    });
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolution: 'not_leaked', heldCommissions: 0 });
    const again = await call(t.app, key, {
      method: 'POST',
      url: `/api/v1/code-alerts/${alert.id}/resolve`,
      payload: { resolution: 'leaked' },
    });
    expect(again.statusCode).toBe(422);
    const commission = await call(t.app, key, { method: 'GET', url: `/api/v1/commissions/${last?.id}` });
    expect(commission.json()).toMatchObject({ hold: null, status: 'pending' });
    expect(commission.json().statusReason).toContain('not leaked');
  });
});
