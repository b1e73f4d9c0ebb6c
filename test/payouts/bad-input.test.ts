import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payoutRunsService } from '../../src/payouts/runs.js';
import { systemClock } from '../../src/shared/clock.js';
import { trustedScope } from '../../src/shared/principal.js';
import { call, signupBrand, startTestApp, type TestApp } from '../helpers/app.js';
import { approveAll, freshIban, type PayoutWorld, payoutWorld, runPayouts, sale, sepaProfile } from './world.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** Two creators with 70.00 € approved each, in a program that pays by SEPA and PayPal. */
async function approvedWorld(): Promise<PayoutWorld> {
  const w = await payoutWorld(t, { creators: 2 });
  for (const c of w.creators) {
    await sepaProfile(t, c, freshIban());
    await sale(t, w, c, 70_000);
  }
  await approveAll(t);
  await call(t.app, w.brand.token, {
    method: 'PUT',
    url: `/api/v1/programs/${w.programId}/payout-settings`,
    payload: { allowedMethods: ['sepa', 'paypal'] },
  });
  return w;
}

const nothing = { runs: 0, payouts: 0, taken: 0 };

async function written(w: PayoutWorld) {
  const db = t.database.handle.db;
  const runs = await db.selectFrom('payout_runs').select('id').where('program_id', '=', w.programId).execute();
  const payouts = await db.selectFrom('payouts').select('id').where('program_id', '=', w.programId).execute();
  const taken = await db
    .selectFrom('commissions')
    .select('id')
    .where('program_id', '=', w.programId)
    .where('payout_id', 'is not', null)
    .execute();
  return { runs: runs.length, payouts: payouts.length, taken: taken.length };
}

describe('a payout run refuses, writing nothing,', () => {
  let w: PayoutWorld;
  beforeAll(async () => {
    w = await approvedWorld();
  });

  it('another brand’s program with 404, as a missing one', async () => {
    const other = await signupBrand(t.app, 'Other Brand');
    const res = await call(t.app, other.token, {
      method: 'POST',
      url: `/api/v1/programs/${w.programId}/payouts`,
      payload: {},
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect(await written(w)).toEqual(nothing);
  });

  it('a method the program does not pay by with 422 PAYOUT_METHOD_NOT_ALLOWED', async () => {
    const res = await runPayouts(t, w, { methods: ['stripe'] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('PAYOUT_METHOD_NOT_ALLOWED');
    expect(await written(w)).toEqual(nothing);
  });

  it('a currency other than the program’s with 422 CURRENCY_MISMATCH', async () => {
    const res = await runPayouts(t, w, { currency: 'USD' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('CURRENCY_MISMATCH');
    expect(await written(w)).toEqual(nothing);
  });

  it('a cut-off in the future with 400', async () => {
    const res = await runPayouts(t, w, { cutoff: new Date(Date.now() + 86_400_000).toISOString() });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('body.cutoff');
    expect(await written(w)).toEqual(nothing);
  });

  it('a body with unknown fields with 400', async () => {
    const res = await runPayouts(t, w, { dryRun: true, payEveryone: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(await written(w)).toEqual(nothing);
  });
});

describe('a run whose entries change while it is made', () => {
  it('is refused whole with 409 and leaves nothing half-paid', async () => {
    const w = await approvedWorld();
    const runs = payoutRunsService({
      db: t.database.handle.db,
      clock: systemClock,
      dialect: t.database.handle.dialect,
    });
    const victim = await t.database.handle.db
      .selectFrom('commissions')
      .select('id')
      .where('program_id', '=', w.programId)
      .where('creator_id', '=', w.creators[1]!.creatorId)
      .executeTakeFirstOrThrow();
    const attempt = runs.run(
      trustedScope(w.brand.workspaceId),
      w.programId,
      {},
      {
        trigger: 'api',
        actor: 'test',
        // Another writer takes one planned entry between the plan and the reservation.
        beforeReserve: async (tx) => {
          await tx.updateTable('commissions').set({ status: 'rejected' }).where('id', '=', victim.id).execute();
        },
      },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await written(w)).toEqual(nothing);
    const still = await t.database.handle.db
      .selectFrom('commissions')
      .select('status')
      .where('id', '=', victim.id)
      .executeTakeFirstOrThrow();
    expect(still.status).toBe('approved');
  });
});

describe('a payout file refuses', () => {
  it('a method the program does not pay by with 422', async () => {
    const w = await approvedWorld();
    const run = await runPayouts(t, w, { dryRun: false });
    expect(run.statusCode).toBe(201);
    const res = await call(t.app, w.brand.token, {
      method: 'GET',
      url: `/api/v1/payouts/${run.json().run.id}/export?format=wise-csv`,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('PAYOUT_METHOD_NOT_ALLOWED');
  });

  it('a SEPA file of a program in dollars with 422 CURRENCY_MISMATCH', async () => {
    const usd = await payoutWorld(t, { creators: 1, currency: 'USD' });
    await call(t.app, usd.creators[0]!.token, {
      method: 'PUT',
      url: '/api/v1/creators/me/payout-profile',
      payload: { method: 'manual' },
    });
    await sale(t, usd, usd.creators[0]!, 90_000);
    await approveAll(t);
    const run = await runPayouts(t, usd);
    const res = await call(t.app, usd.brand.token, {
      method: 'GET',
      url: `/api/v1/payout-runs/${run.json().run.id}/export?format=sepa-xml`,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('CURRENCY_MISMATCH');
  });

  it('a SEPA file without the brand’s payout account with 422 PAYOUT_ACCOUNT_MISSING', async () => {
    const bare = await payoutWorld(t, { creators: 1, payoutAccount: null });
    await sepaProfile(t, bare.creators[0]!, freshIban());
    await sale(t, bare, bare.creators[0]!, 90_000);
    await approveAll(t);
    const run = await runPayouts(t, bare);
    const res = await call(t.app, bare.brand.token, {
      method: 'GET',
      url: `/api/v1/payout-runs/${run.json().run.id}/export?format=sepa-xml`,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('PAYOUT_ACCOUNT_MISSING');
  });
});
