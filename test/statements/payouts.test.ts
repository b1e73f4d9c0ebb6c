import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.js';
import { call, startTestApp, type TestApp } from '../helpers/app.js';
import {
  approveAll,
  freshIban,
  type PayoutWorld,
  payoutWorld,
  runPayouts,
  sale,
  sepaProfile,
} from '../payouts/world.js';

/** The payouts on both monthly statements: the brand's (with its totals) and the creator's. */
const clock = fixedClock(new Date('2026-11-10T09:00:00Z'));
let t: TestApp;
let w: PayoutWorld;
const ids: { paid: string; failed: string } = { paid: '', failed: '' };

beforeAll(async () => {
  t = await startTestApp({ clock });
  w = await payoutWorld(t, { creators: 2 });
  for (const c of w.creators) await sepaProfile(t, c, freshIban());
  const [a, b] = w.creators;
  await sale(t, w, a ?? { code: '' }, 90_000);
  await sale(t, w, b ?? { code: '' }, 70_000);
  await approveAll(t);
  const run = await runPayouts(t, w, {});
  expect(run.statusCode).toBe(201);
  const of = (c: typeof a) => run.json().data.find((p: { creatorId: string }) => p.creatorId === c?.creatorId).id;
  ids.paid = of(a);
  ids.failed = of(b);
  clock.advance(3 * 86_400_000);
  await call(t.app, w.brand.token, {
    method: 'POST',
    url: `/api/v1/payouts/${ids.paid}/mark-paid`,
    payload: { reference: 'BANK-2026-11' },
  });
  await call(t.app, w.brand.token, {
    method: 'POST',
    url: `/api/v1/payouts/${ids.failed}/fail`,
    payload: { code: 'bank_return', reason: 'account closed (AC04)' },
  });
});
afterAll(async () => {
  await t?.close();
});

const brandStatement = (format: string, extra = '') =>
  call(t.app, w.brand.token, { method: 'GET', url: `/api/v1/statements/brand?month=2026-11&format=${format}${extra}` });

describe('payouts on the statements', () => {
  it("the brand's statement lists the month's payouts and totals what was paid and what failed", async () => {
    const res = await brandStatement('json');
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.payouts.map((p: { id: string; status: string }) => [p.id, p.status]).sort()).toEqual(
      [
        [ids.paid, 'paid'],
        [ids.failed, 'failed'],
      ].sort(),
    );
    expect(s.payoutTotals).toEqual([{ currency: 'EUR', paid: 9000, failed: 7000 }]);
    expect(s.programs.find((p: { programId: string }) => p.programId === w.programId)).toMatchObject({
      commissionsEarned: 16_000,
      payoutsPaid: 1,
      payoutsPaidAmount: 9000,
    });
    const other = await brandStatement('json').then(() =>
      call(t.app, w.brand.token, { method: 'GET', url: '/api/v1/statements/brand?month=2026-10' }),
    );
    expect(other.json().payouts).toEqual([]);
  });

  it('shows them in the CSV and in the printable page in both languages', async () => {
    const csv = (await brandStatement('csv')).body;
    expect(csv).toContain('payout_id,program_id,creator_id');
    expect(csv).toContain(`${ids.paid},${w.programId}`);
    expect(csv).toContain('BANK-2026-11');
    expect(csv).toContain('90.00,EUR');
    const en = (await brandStatement('html', '&lang=en')).body;
    expect(en).toContain('<h2>Payouts</h2>');
    expect(en).toContain('€90.00');
    expect(en).toContain('account closed (AC04)');
    const fi = (await brandStatement('html', '&lang=fi')).body;
    expect(fi).toContain('<h2>Tilitykset</h2>');
    expect(fi).toContain('maksettu');
    expect(fi).toContain('epäonnistui');
  });

  it("the creator's statement shows the creator's own payout only", async () => {
    const [a, b] = w.creators;
    const mine = await call(t.app, a?.token ?? '', {
      method: 'GET',
      url: `/api/v1/statements/creator?programId=${w.programId}&month=2026-11`,
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().payouts.map((p: { id: string }) => p.id)).toEqual([ids.paid]);
    expect(mine.json().closing.paid).toBe(9000);
    const theirs = await call(t.app, b?.token ?? '', {
      method: 'GET',
      url: `/api/v1/statements/creator?programId=${w.programId}&month=2026-11&format=html&lang=fi`,
    });
    expect(theirs.body).toContain('<h2>Tilitykset</h2>');
    expect(theirs.body).toContain('account closed (AC04)');
    expect(theirs.body).not.toContain('BANK-2026-11');
    const csv = await call(t.app, b?.token ?? '', {
      method: 'GET',
      url: `/api/v1/statements/creator?programId=${w.programId}&month=2026-11&format=csv`,
    });
    expect(csv.body).toContain(`payout,`);
    expect(csv.body).toContain(ids.failed);
  });
});
