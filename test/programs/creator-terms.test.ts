import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvedCreator,
  type Brand,
  call,
  createProgram,
  signupBrand,
  signupCreator,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

let t: TestApp;
let brand: Brand;
beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app, 'Aino');
});
afterAll(async () => {
  await t?.close();
});

const payoutAccount = { iban: 'FI2112345600000785', bic: 'NDEAFIHH', name: 'Revontuli Oy' };

describe('a creator reading a program', () => {
  it('reads the terms of a program it is enrolled in, without the brand payout account', async () => {
    const p = await createProgram(t.app, brand.token, { ...validProgram, visibility: 'invite', payoutAccount });
    const creator = await approvedCreator(t.app, brand.token, p.id);
    const res = await call(t.app, creator.token, { method: 'GET', url: `/api/v1/programs/${p.id}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: p.id, defaultRate: { type: 'percent', bps: 1500 }, payoutAccount: null });
  });

  it('reads a program it is only invited to', async () => {
    const p = await createProgram(t.app, brand.token, { ...validProgram, visibility: 'invite' });
    const creator = await signupCreator(t.app);
    const invite = await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${p.id}/enrollments`,
      payload: { creatorEmail: creator.email },
    });
    expect(invite.statusCode).toBe(201);
    expect((await call(t.app, creator.token, { method: 'GET', url: `/api/v1/programs/${p.id}` })).statusCode).toBe(200);
  });

  it('answers 404 for an invite-only program it has no part in', async () => {
    const p = await createProgram(t.app, brand.token, { ...validProgram, visibility: 'invite' });
    const stranger = await signupCreator(t.app);
    expect((await call(t.app, stranger.token, { method: 'GET', url: `/api/v1/programs/${p.id}` })).statusCode).toBe(
      404,
    );
  });

  it('reads an open program before applying to it', async () => {
    const p = await createProgram(t.app, brand.token, { ...validProgram, visibility: 'open' });
    const stranger = await signupCreator(t.app);
    expect((await call(t.app, stranger.token, { method: 'GET', url: `/api/v1/programs/${p.id}` })).statusCode).toBe(
      200,
    );
  });

  it('still shows a brand its own payout account', async () => {
    const p = await createProgram(t.app, brand.token, { ...validProgram, payoutAccount });
    const res = await call(t.app, brand.token, { method: 'GET', url: `/api/v1/programs/${p.id}` });
    expect(res.json().payoutAccount).toEqual(payoutAccount);
  });
});
