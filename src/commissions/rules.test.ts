import { describe, expect, it } from 'vitest';
import type { Rate } from '../programs/schemas.js';
import { explainReversal, explainSaleLine, money, percent } from './explain.js';
import { chooseRate, isCut, orderCommissions, rateInForce } from './rules.js';

const pct = (bps: number): Rate => ({ type: 'percent', bps });
const flat = (amount: number): Rate => ({ type: 'flat', amount });
const at = new Date('2026-11-20T12:00:00.000Z');
const base = {
  programRate: pct(1000),
  programRateChanges: [],
  creatorRate: null,
  creatorRateChanges: [],
  productRate: null,
  tiers: [],
  monthSales: 0,
  noticeDays: 30,
  at,
};

describe('chooseRate', () => {
  it.each([
    ['the program default', {}, 'program', pct(1000)],
    ['a product rate over the default', { productRate: pct(2000) }, 'product', pct(2000)],
    ['a creator rate over a product rate', { productRate: pct(2000), creatorRate: pct(2500) }, 'creator', pct(2500)],
    [
      'a tier once the month passes its threshold',
      { tiers: [{ thresholdAmount: 100_000, rate: pct(1500) }], monthSales: 100_000 },
      'tier',
      pct(1500),
    ],
    [
      'not below the threshold',
      { tiers: [{ thresholdAmount: 100_000, rate: pct(1500) }], monthSales: 99_999 },
      'program',
      pct(1000),
    ],
    [
      'the highest tier reached',
      {
        tiers: [
          { thresholdAmount: 100_000, rate: pct(1500) },
          { thresholdAmount: 500_000, rate: pct(2000) },
        ],
        monthSales: 600_000,
      },
      'tier',
      pct(2000),
    ],
    [
      'a product rate over a tier',
      { productRate: pct(500), tiers: [{ thresholdAmount: 0, rate: pct(1500) }] },
      'product',
      pct(500),
    ],
  ])('%s', (_name, over, source, rate) => {
    expect(chooseRate({ ...base, ...over })).toMatchObject({ source, rate });
  });

  it('keeps the old rate for an enrolled creator until the notice of a cut has passed; a raise applies at once', () => {
    const cut = [{ enrollmentId: null, from: pct(2000), to: pct(1000), at: '2026-11-10T00:00:00.000Z' }];
    expect(rateInForce(pct(1000), cut, at, 30)).toEqual({
      rate: pct(2000),
      protectedUntil: '2026-12-10T00:00:00.000Z',
    });
    expect(rateInForce(pct(1000), cut, new Date('2026-12-10T00:00:00.000Z'), 30)).toEqual({ rate: pct(1000) });
    const raise = [{ enrollmentId: null, from: pct(1000), to: pct(2000), at: '2026-11-10T00:00:00.000Z' }];
    expect(rateInForce(pct(2000), raise, at, 30)).toEqual({ rate: pct(2000) });
    const cutThenRaise = [
      { enrollmentId: null, from: pct(2000), to: pct(1000), at: '2026-11-01T00:00:00.000Z' },
      { enrollmentId: null, from: pct(1000), to: pct(1500), at: '2026-11-15T00:00:00.000Z' },
    ];
    expect(rateInForce(pct(1500), cutThenRaise, at, 30).rate).toEqual(pct(2000));
    expect(rateInForce(pct(1500), cutThenRaise, new Date('2026-12-02T00:00:00.000Z'), 30).rate).toEqual(pct(1500));
    expect(chooseRate({ ...base, programRateChanges: cut })).toMatchObject({ source: 'program', rate: pct(2000) });
  });

  it.each([
    [pct(2000), pct(1000), true],
    [pct(1000), pct(2000), false],
    [flat(500), flat(400), true],
    [flat(500), pct(2000), true],
    [null, pct(100), false],
  ])('%j → %j is a cut: %s', (from, to, cut) => {
    expect(isCut(from, to)).toBe(cut);
  });
});

describe('orderCommissions', () => {
  const chosen = (rate: Rate, source: 'program' | 'product' = 'program') => ({ rate, source });
  it.each([
    [
      'percent per line, rounded half to even',
      [
        [125, 1, chosen(pct(1000))],
        [135, 1, chosen(pct(1000))],
      ],
      [12, 14],
    ],
    [
      '0.5 of a cent rounds to even: 2.5 → 2, 3.5 → 4',
      [
        [25, 1, chosen(pct(1000))],
        [35, 1, chosen(pct(1000))],
      ],
      [2, 4],
    ],
    ['a product flat rate is per unit', [[6000, 3, chosen(flat(200), 'product')]], [600]],
    [
      'a program flat rate is once per order, shared by amount',
      [
        [3000, 1, chosen(flat(1000))],
        [1000, 2, chosen(flat(1000))],
      ],
      [750, 250],
    ],
    ['JPY has no minor unit: 15 % of ¥1,999', [[1999, 1, chosen(pct(1500))]], [300]],
    ['KWD has three decimals: 12.5 % of 10.005 KWD', [[10005, 1, chosen(pct(1250))]], [1251]],
  ] as const)('%s', (_name, lines, expected) => {
    expect(
      orderCommissions(
        lines.map(([amount, quantity, c]) => ({ amount, quantity, chosen: { rate: c.rate, source: c.source } })),
      ),
    ).toEqual(expected);
  });
});

describe('explanations', () => {
  it.each([
    [1200, 'EUR', '12.00 €'],
    [-600, 'EUR', '−6.00 €'],
    [1999, 'USD', '$19.99'],
    [1999, 'JPY', '1999 JPY'],
    [10005, 'KWD', '10.005 KWD'],
  ])('money(%i, %s) = %s', (amount, currency, text) => {
    expect(money(amount, currency)).toBe(text);
  });
  it.each([
    [2000, '20 %'],
    [1250, '12.5 %'],
    [5, '0.05 %'],
  ])('percent(%i) = %s', (bps, text) => {
    expect(percent(bps)).toBe(text);
  });
  it('says what a line earned and why', () => {
    expect(
      explainSaleLine({
        commission: 1200,
        currency: 'EUR',
        base: 6000,
        quantity: 1,
        lineName: 'Synergy leggings',
        chosen: { rate: pct(2000), source: 'product' },
        discount: { amount: 1059, rate: pct(1500), code: 'DANA15' },
        attribution: { rule: 'code', codeId: 'cpn_1', code: 'DANA15' },
        creatorName: 'Dana Vaughan',
      }),
    ).toBe(
      '12.00 € = 20 % of 60.00 € (Synergy leggings, after the 15 % DANA15 discount), code DANA15 of Dana Vaughan, product rate',
    );
    expect(
      explainReversal({
        amount: -600,
        currency: 'EUR',
        refunded: 3000,
        lineAmount: 6000,
        lineName: 'Synergy leggings',
        refundId: 're_123',
        wasPaid: false,
      }),
    ).toBe('−6.00 € reversed: 30.00 € of Synergy leggings refunded (refund re_123)');
  });

  const kayla = (discount: { amount?: number; rate?: ReturnType<typeof pct>; code?: string }) =>
    explainSaleLine({
      commission: 1080,
      currency: 'EUR',
      base: 5400,
      quantity: 1,
      lineName: 'Aurora hoodie',
      chosen: { rate: pct(2000), source: 'program' },
      discount,
      attribution: { rule: 'code', codeId: 'cpn_2', code: 'KAYLA20' },
      creatorName: 'Kayla',
    });

  it('cites the amount the order applied when it is not the code’s configured discount', () => {
    expect(kayla({ amount: 600, rate: pct(2000), code: 'KAYLA20' })).toContain(
      '(Aurora hoodie, after a 6.00 € discount (KAYLA20))',
    );
  });

  it('cites no discount when the shop says none was applied', () => {
    expect(kayla({ amount: 0, rate: pct(2000), code: 'KAYLA20' })).toContain('(Aurora hoodie),');
  });

  it('cites no discount when the shop does not say what was applied', () => {
    expect(kayla({ rate: pct(2000), code: 'KAYLA20' })).toContain('(Aurora hoodie),');
  });

  it('cites the code’s configured discount when that is what the order applied', () => {
    expect(kayla({ amount: 1350, rate: pct(2000), code: 'KAYLA20' })).toContain('after the 20 % KAYLA20 discount');
  });
});
