import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ledger from '../../src/commissions/ledger.js';
import { eventsOf } from '../../src/commissions/repository.js';
import { conversionsService } from '../../src/conversions/service.js';
import { systemClock } from '../../src/shared/clock.js';
import { trustedScope } from '../../src/shared/principal.js';
import {
  approvedCreator,
  type Brand,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

/**
 * The ledger's status changes, as payouts and the approval job use them: each moves only entries
 * that stand where it expects, and writes one event per entry it moved.
 */
let t: TestApp;
let brand: Brand;
let programId: string;
let service: ReturnType<typeof conversionsService>;
let order = 0;

beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app, 'Ledger Moves');
  programId = (
    await createProgram(t.app, brand.token, { ...validProgram, defaultRate: { type: 'percent', bps: 1000 } })
  ).id;
  const creator = await approvedCreator(t.app, brand.token, programId, 'Ledger Creator');
  const code = await t.app.inject({
    method: 'POST',
    url: `/api/v1/programs/${programId}/codes`,
    headers: { authorization: `Bearer ${brand.token}` },
    payload: { creatorId: creator.creatorId, code: 'MOVES10', discount: { type: 'percent', bps: 1000 } },
  });
  expect(code.statusCode).toBe(201);
  service = conversionsService({
    db: t.database.handle.db,
    clock: systemClock,
    secret: 'x'.repeat(32),
    dialect: t.database.handle.dialect,
  });
});
afterAll(async () => {
  await t?.close();
});

/** A new pending commission of 5.00 €. */
async function pendingEntry(): Promise<string> {
  const outcome = await service.recordSale(trustedScope(brand.workspaceId), {
    programId,
    orderId: `moves-${++order}`,
    source: 'track',
    currency: 'EUR',
    couponCodes: ['MOVES10'],
    lines: [{ amount: 5000, quantity: 1 }],
  });
  expect(outcome.commissionIds).toHaveLength(1);
  return outcome.commissionIds[0] as string;
}

const because = (reason: string) => ({ reason, actor: 'test', at: new Date().toISOString() });
const db = () => t.database.handle.db;
/** Puts entries in a payout, as a payout run's reservation does (`ledger.reserveEntriesForRun`). */
const inPayout = (ids: string[], payoutId: string) =>
  db().updateTable('commissions').set({ payout_id: payoutId }).where('id', 'in', ids).execute();
const statusOf = async (id: string) =>
  await db().selectFrom('commissions').select(['status', 'payout_id']).where('id', '=', id).executeTakeFirstOrThrow();

describe('the ledger', () => {
  it('approves a pending entry with one event', async () => {
    const id = await pendingEntry();
    expect(await ledger.approve(db(), [id], because('holding period ended'))).toEqual([id]);
    expect((await statusOf(id)).status).toBe('approved');
    expect((await eventsOf(db(), id)).map((e) => [e.from_status, e.to_status, e.reason])).toEqual([
      ['pending', 'approved', 'holding period ended'],
    ]);
  });

  it('marks approved entries paid in a payout, and leaves pending ones alone', async () => {
    const approved = await pendingEntry();
    const pending = await pendingEntry();
    await ledger.approve(db(), [approved], because('holding period ended'));
    await inPayout([approved, pending], 'pay_1');
    const { reason, actor, at } = because('paid in payout pay_1');
    expect(await ledger.markEntriesPaid(db(), 'pay_1', actor, at, reason)).toBe(1);
    expect(await statusOf(approved)).toEqual({ status: 'paid', payout_id: 'pay_1' });
    expect(await statusOf(pending)).toEqual({ status: 'pending', payout_id: 'pay_1' });
    expect((await eventsOf(db(), pending)).length).toBe(0);
  });

  it('returns a paid entry to approved when its payout fails, clearing the payout', async () => {
    const id = await pendingEntry();
    await ledger.approve(db(), [id], because('holding period ended'));
    await inPayout([id], 'pay_2');
    const paid = because('paid in payout pay_2');
    await ledger.markEntriesPaid(db(), 'pay_2', paid.actor, paid.at, paid.reason);
    const failed = because('payout pay_2 failed');
    expect(await ledger.returnEntriesToApproved(db(), 'pay_2', failed.actor, failed.at, failed.reason)).toBe(1);
    expect(await statusOf(id)).toEqual({ status: 'approved', payout_id: null });
    expect((await eventsOf(db(), id)).map((e) => `${e.from_status}→${e.to_status}`)).toEqual([
      'pending→approved',
      'approved→paid',
      'paid→approved',
    ]);
  });

  it('refuses a change from a status the entry no longer has, writing no event', async () => {
    const id = await pendingEntry();
    expect(await ledger.reject(db(), id, 'approved', because('too late'))).toBe(false);
    expect((await statusOf(id)).status).toBe('pending');
    expect(await eventsOf(db(), id)).toEqual([]);
  });

  it('releases only entries that a flag holds', async () => {
    const id = await pendingEntry();
    expect(await ledger.releaseHold(db(), [id], because('reviewed'))).toEqual([]);
    expect(await eventsOf(db(), id)).toEqual([]);
  });
});
