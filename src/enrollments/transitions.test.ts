import { describe, expect, it } from 'vitest';
import type { EnrollmentStatus } from './schemas.js';
import { type ChangedBy, checkTransition } from './transitions.js';

const statuses: EnrollmentStatus[] = ['applied', 'invited', 'approved', 'rejected', 'suspended'];

const allowed: [ChangedBy, EnrollmentStatus, EnrollmentStatus][] = [
  ['brand', 'applied', 'approved'],
  ['brand', 'applied', 'rejected'],
  ['brand', 'invited', 'rejected'],
  ['brand', 'approved', 'suspended'],
  ['brand', 'approved', 'rejected'],
  ['brand', 'suspended', 'approved'],
  ['brand', 'suspended', 'rejected'],
  ['creator', 'invited', 'approved'],
  ['creator', 'invited', 'rejected'],
];

const isAllowed = (by: ChangedBy, from: EnrollmentStatus, to: EnrollmentStatus) =>
  allowed.some(([b, f, t]) => b === by && f === from && t === to);

const everyMove = (['brand', 'creator'] as const).flatMap((by) =>
  statuses.flatMap((from) =>
    statuses.filter((to) => to !== from).map((to) => [by, from, to] as [ChangedBy, EnrollmentStatus, EnrollmentStatus]),
  ),
);

describe('enrollment transitions', () => {
  it.each(everyMove)('%s: %s → %s', (by, from, to) => {
    const result = checkTransition(by, from, to, 'a reason');
    if (isAllowed(by, from, to)) {
      expect(result).toEqual({ ok: true });
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe(by === 'creator' ? 'FORBIDDEN' : 'INVALID_TRANSITION');
    if (by === 'brand') {
      expect(result.message).toContain(from);
      expect(result.message).toContain(to);
    }
  });

  it.each([
    ['applied', 'rejected'],
    ['approved', 'suspended'],
    ['suspended', 'rejected'],
  ] as const)('a brand needs a reason for %s → %s', (from, to) => {
    expect(checkTransition('brand', from, to, undefined)).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
  });

  it('a brand approves without a reason, a creator declines without one', () => {
    expect(checkTransition('brand', 'applied', 'approved', undefined)).toEqual({ ok: true });
    expect(checkTransition('creator', 'invited', 'rejected', undefined)).toEqual({ ok: true });
  });

  it('tells a brand that an invitation is accepted by the creator', () => {
    const result = checkTransition('brand', 'invited', 'approved', undefined);
    expect(result).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
    if (!result.ok) expect(result.message).toMatch(/invited creator/);
  });
});
