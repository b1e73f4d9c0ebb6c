import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
let programId: string;
let dana: CreatorAccount;
let codeId: string;
let order = 0;

beforeAll(async () => {
  t = await startTestApp({ clock });
  brand = await signupBrand(t.app, 'Aino');
  key = await createKey(t.app, brand.token, 'manager');
  programId = (
    await createProgram(t.app, brand.token, { ...validProgram, defaultRate: { type: 'percent', bps: 1000 } })
  ).id;
  dana = await approvedCreator(t.app, brand.token, programId, 'Dana Vaughan');
  const code = await call(t.app, key, {
    method: 'POST',
    url: `/api/v1/programs/${programId}/codes`,
    payload: { creatorId: dana.creatorId, code: 'DANA15', discount: { type: 'percent', bps: 1500 } },
  });
  codeId = code.json().id;
});
afterAll(async () => {
  await t?.close();
});

async function sale(extra: object = {}) {
  order++;
  const res = await call(t.app, key, {
    method: 'POST',
    url: '/api/v1/track/sale',
    payload: { programId, orderId: `F-${order}`, currency: 'EUR', lines: [{ amount: 4000, quantity: 1 }], ...extra },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().conversion.commissions[0] as { id: string; hold: { reason: string; detail: string } | null };
}

describe('fraud flags', () => {
  it('holds a sale whose buyer is the creator', async () => {
    const held = await sale({ couponCode: 'DANA15', customerEmail: dana.email.toUpperCase() });
    expect(held.hold).toMatchObject({ reason: 'self_referral' });
    expect((await sale({ couponCode: 'DANA15', customerEmail: 'someone@example.com' })).hold).toBeNull();
  });

  it('holds a sale won by a click whose visitor clicked the link abnormally often', async () => {
    await createLink(t.app, dana.token, { programId, slug: 'dana/spam', destinationUrl: 'https://shop.example.com/' });
    let clickId = '';
    for (let i = 0; i < 22; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/dana/spam', headers: { 'user-agent': IPHONE } });
      clickId = new URL(res.headers.location as string).searchParams.get('kclid') as string;
    }
    expect((await sale({ clickId })).hold).toMatchObject({ reason: 'click_spam' });
    const settings = await call(t.app, key, {
      method: 'PUT',
      url: `/api/v1/programs/${programId}/fraud-settings`,
      payload: { clickSpamThreshold: 50, couponSiteDomains: ['alennuskoodit.example'] },
    });
    expect(settings.statusCode, settings.body).toBe(200);
    expect(settings.json()).toMatchObject({ clickSpamThreshold: 50, couponSiteDomains: ['alennuskoodit.example'] });
    expect(settings.json().builtInCouponSites).toContain('retailmenot.com');
    expect((await sale({ clickId })).hold).toBeNull();
  });

  it('holds sales from coupon-sharing referrers, built-in or the program’s own', async () => {
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
    const leak = await t.app.inject({
      method: 'GET',
      url: `/api/v1/programs/${programId}/code-alerts`,
      headers: { authorization: `Bearer ${key}` },
    });
    // The coupon-site sale above already opened one alert; resolve it to start clean.
    for (const a of leak.json().data as { id: string }[]) {
      const r = await call(t.app, key, {
        method: 'POST',
        url: `/api/v1/code-alerts/${a.id}/resolve`,
        payload: { resolution: 'not_leaked' },
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    // Three weeks of two or three code-only uses a day, half by returning customers.
    for (let d = 0; d < 21; d++) {
      clock.advance(DAY);
      for (let i = 0; i < 2 + (d % 2); i++) {
        const held = await sale({ couponCode: 'DANA15', customerId: i === 0 ? 'regular-1' : `new-${d}-${i}` });
        expect(held.hold, `day ${d}`).toBeNull();
      }
    }
    clock.advance(DAY);
    let last: Awaited<ReturnType<typeof sale>> | undefined;
    for (let i = 0; i < 16; i++) last = await sale({ couponCode: 'DANA15', customerId: `stranger-${i}` });
    expect(last?.hold).toMatchObject({ reason: 'possible_leaked_code' });

    const alerts = await call(t.app, key, { method: 'GET', url: `/api/v1/programs/${programId}/code-alerts` });
    expect(alerts.json().data).toHaveLength(1);
    const alert = alerts.json().data[0];
    expect(alert).toMatchObject({ codeId, code: 'DANA15', reason: 'spike', status: 'open' });
    expect(alert.heldCommissions).toBeGreaterThan(0);

    const health = await call(t.app, dana.token, { method: 'GET', url: `/api/v1/codes/${codeId}/health?days=30` });
    expect(health.statusCode, health.body).toBe(200);
    expect(health.json()).toMatchObject({ code: 'DANA15', status: 'alert' });
    expect(health.json().usesPerDay).toHaveLength(30);
    expect(health.json().noClickShare).toBeGreaterThan(0.5);

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
