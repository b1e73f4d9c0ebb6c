import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Brand,
  call,
  createProgram,
  signupBrand,
  signupCreator,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

/** The programs a creator may apply to: open and active, not joined or applied to yet, no payout account. */
describe('GET /api/v1/programs/open', () => {
  let t: TestApp;
  let brand: Brand;
  beforeAll(async () => {
    t = await startTestApp();
    brand = await signupBrand(t.app, 'Open Doors');
  });
  afterAll(async () => {
    await t?.close();
  });

  const payoutAccount = { iban: 'FI2112345600000785', bic: 'NDEAFIHH', name: 'Open Doors Oy' };
  const open = (token: string, qs = '') => call(t.app, token, { method: 'GET', url: `/api/v1/programs/open${qs}` });

  it('lists open, active programs the creator has not joined, without the payout account', async () => {
    const openOne = await createProgram(t.app, brand.token, { ...validProgram, visibility: 'open', payoutAccount });
    const inviteOnly = await createProgram(t.app, brand.token, { ...validProgram, visibility: 'invite' });
    const archived = await createProgram(t.app, brand.token, { ...validProgram, visibility: 'open' });
    expect(
      (await call(t.app, brand.token, { method: 'POST', url: `/api/v1/programs/${archived.id}/archive` })).statusCode,
    ).toBe(200);
    const creator = await signupCreator(t.app);
    const res = await open(creator.token, '?limit=200');
    expect(res.statusCode, res.body).toBe(200);
    const ids = res.json().data.map((p: { id: string }) => p.id);
    expect(ids).toContain(openOne.id);
    expect(ids).not.toContain(inviteOnly.id);
    expect(ids).not.toContain(archived.id);
    expect(res.json().data.find((p: { id: string }) => p.id === openOne.id)).toMatchObject({
      payoutAccount: null,
      defaultRate: validProgram.defaultRate,
    });

    // Once it has applied, the program leaves the list.
    const apply = await call(t.app, creator.token, {
      method: 'POST',
      url: `/api/v1/programs/${openOne.id}/enrollments`,
      payload: {},
    });
    expect(apply.statusCode, apply.body).toBe(201);
    const after = (await open(creator.token, '?limit=200')).json().data.map((p: { id: string }) => p.id);
    expect(after).not.toContain(openOne.id);
  });

  it('pages with a cursor', async () => {
    await createProgram(t.app, brand.token, { ...validProgram, visibility: 'open' });
    await createProgram(t.app, brand.token, { ...validProgram, visibility: 'open' });
    const creator = await signupCreator(t.app);
    const first = (await open(creator.token, '?limit=1')).json();
    expect(first.data).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = (await open(creator.token, `?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.data).toHaveLength(1);
    expect(second.data[0].id < first.data[0].id).toBe(true);
  });

  it('is for creators: a brand is refused', async () => {
    const res = await open(brand.token);
    expect(res.statusCode).toBe(403);
  });
});
