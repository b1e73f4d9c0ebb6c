import { describe, expect, it } from 'vitest';
import { type DayCounts, judgeCode, onList, referrerHost } from './rules.js';

const day = (uses: number, noClick = uses, newCustomers = Math.round(uses / 2), couponSite = 0): DayCounts => ({
  uses,
  noClick,
  newCustomers,
  couponSite,
});
const steady = Array.from({ length: 28 }, (_, i) => day(i % 3 === 0 ? 3 : 2, i % 3 === 0 ? 2 : 1, 1));

describe('judgeCode', () => {
  it.each([
    ['a normal day of a steady code', day(3, 2, 1), steady, 60, false],
    ['a busy day with the usual mix (a new video)', day(14, 7, 5), steady, 60, false],
    ['many more uses, all code-only, all new customers', day(25, 25, 25), steady, 60, true],
    ['a spike below the minimum count', day(9, 9, 9), steady.map(() => day(1, 0, 0)), 60, false],
    ['a code younger than a week is not judged for spikes', day(40, 40, 40), steady, 3, false],
    ['a code with hardly any past is not judged for spikes', day(40, 40, 40), steady.map(() => day(0)), 60, false],
    [
      'a code-only code stays normal when only volume grows',
      day(30, 30, 15),
      steady.map(() => day(2, 2, 1)),
      60,
      false,
    ],
  ])('%s → leak: %s', (_name, today, baseline, age, leak) => {
    expect(judgeCode(today, baseline, age, 'DANA15').leak).toBe(leak);
  });

  it('flags a coupon-site referrer at once, whatever the age or volume', () => {
    const verdict = judgeCode(day(1, 1, 1, 1), [], 0, 'DANA15');
    expect(verdict).toMatchObject({ leak: true, reason: 'coupon_site' });
  });

  it('explains a spike in numbers', () => {
    const verdict = judgeCode(day(25, 25, 25), steady, 60, 'DANA15');
    expect(verdict.leak && verdict.detail).toMatch(/^DANA15 was used 25 times today against a typical 2\.\d a day/);
  });
});

describe('referrers', () => {
  it.each([
    ['https://www.retailmenot.com/view/shop.example.com', 'www.retailmenot.com', true],
    ['retailmenot.com', 'retailmenot.com', true],
    ['https://notretailmenot.com/', 'notretailmenot.com', false],
    ['https://www.tiktok.com/', 'www.tiktok.com', false],
    ['', null, false],
  ])('%s → %s, on the list: %s', (ref, host, listed) => {
    expect(referrerHost(ref)).toBe(host);
    expect(onList(referrerHost(ref), ['retailmenot.com'])).toBe(listed);
  });
});
