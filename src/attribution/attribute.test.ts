import { describe, expect, it } from 'vitest';
import {
  type AttributionRules,
  addMonths,
  attribute,
  type ClickCandidate,
  type CodeCandidate,
  type CustomerCandidate,
} from './attribute.js';

const at = new Date('2026-11-20T12:00:00.000Z');
const rules: AttributionRules = {
  codeWinsOverClick: true,
  attributionWindowDays: 30,
  commissionDuration: { type: 'lifetime' },
};
const code: CodeCandidate = { codeId: 'cpn_1', code: 'DANA15', creatorId: 'cr_dana', creatorApproved: true };
const click = (over: Partial<ClickCandidate> = {}): ClickCandidate => ({
  clickId: 'clk_1',
  at: '2026-11-18T12:00:00.000Z',
  linkId: 'lnk_1',
  creatorId: 'cr_krista',
  isBot: false,
  creatorApproved: true,
  ...over,
});
const customer = (over: Partial<CustomerCandidate> = {}): CustomerCandidate => ({
  customerId: 'cus_1',
  creatorId: 'cr_sami',
  wonAt: '2026-06-01T00:00:00.000Z',
  creatorApproved: true,
  via: 'customer',
  ...over,
});

describe('attribute', () => {
  it.each([
    ['a code wins over a click by default', rules, { code, click: click(), customer: null }, 'code', 'cr_dana'],
    [
      'a click wins when the program says clicks win',
      { ...rules, codeWinsOverClick: false },
      { code, click: click(), customer: null },
      'click',
      'cr_krista',
    ],
    [
      'a code of a creator who is not approved does not count',
      rules,
      { code: { ...code, creatorApproved: false }, click: click(), customer: null },
      'click',
      'cr_krista',
    ],
    [
      'a click within the window wins over a returning customer',
      rules,
      { code: null, click: click(), customer: customer() },
      'click',
      'cr_krista',
    ],
    [
      'a bot click never attributes; the returning customer does',
      rules,
      { code: null, click: click({ isBot: true }), customer: customer() },
      'customer',
      'cr_sami',
    ],
    [
      'a click 30 days and 1 minute old is outside a 30-day window',
      rules,
      { code: null, click: click({ at: '2026-10-21T11:59:00.000Z' }), customer: null },
      null,
      null,
    ],
    [
      'a click exactly 30 days old is inside',
      rules,
      { code: null, click: click({ at: '2026-10-21T12:00:00.000Z' }), customer: null },
      'click',
      'cr_krista',
    ],
    [
      'a returning customer earns nothing when the program pays first orders only',
      { ...rules, commissionDuration: { type: 'first_order' as const } },
      { code: null, click: null, customer: customer() },
      null,
      null,
    ],
    [
      'a returning customer within 6 months stays with its creator',
      { ...rules, commissionDuration: { type: 'months' as const, months: 6 } },
      { code: null, click: null, customer: customer({ wonAt: '2026-05-21T00:00:00.000Z' }) },
      'customer',
      'cr_sami',
    ],
    [
      'and not after 6 months',
      { ...rules, commissionDuration: { type: 'months' as const, months: 6 } },
      { code: null, click: null, customer: customer({ wonAt: '2026-05-20T12:00:00.000Z' }) },
      null,
      null,
    ],
    ['nothing at all is unattributed', rules, { code: null, click: null, customer: null }, null, null],
  ])('%s', (_name, r, candidates, rule, creator) => {
    const result = attribute(r, at, candidates);
    if (rule === null) {
      expect(result.attributed).toBe(false);
      if (!result.attributed) expect(result.reasons.length).toBeGreaterThan(0);
    } else {
      expect(result).toMatchObject({ attributed: true, rule, creatorId: creator });
    }
  });

  it('says how old the winning click was', () => {
    const result = attribute(rules, at, { code: null, click: click(), customer: null });
    expect(result.attributed && result.evidence).toMatchObject({ rule: 'click', ageDays: 2, clickId: 'clk_1' });
  });

  it.each([
    ['2026-01-31T00:00:00.000Z', 1, '2026-02-28T00:00:00.000Z'],
    ['2026-03-15T10:00:00.000Z', 6, '2026-09-15T10:00:00.000Z'],
    ['2024-02-29T00:00:00.000Z', 12, '2025-02-28T00:00:00.000Z'],
  ])('adds months to %s + %i without overflowing into the next month', (from, months, expected) => {
    expect(addMonths(from, months).toISOString()).toBe(expected);
  });
});
