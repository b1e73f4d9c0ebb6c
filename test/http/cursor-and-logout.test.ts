import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createKey, createProgram, signupBrand, startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let token: string;
let key: string;
beforeAll(async () => {
  t = await startTestApp();
  token = (await signupBrand(t.app)).token;
  key = await createKey(t.app, token, 'manager');
  for (let i = 0; i < 3; i++) await createProgram(t.app, key);
});
afterAll(async () => {
  await t?.close();
});

describe('list cursors', () => {
  it.each([['garbage!!'], ['bm90LWFuLWlk'], ['%%%']])('answers 400 INVALID_CURSOR to the cursor %s', async (cursor) => {
    const res = await call(t.app, key, {
      method: 'GET',
      url: `/api/v1/programs?limit=1&cursor=${encodeURIComponent(cursor)}`,
    });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'INVALID_CURSOR']);
  });

  it('follows a cursor the list gave to its next page', async () => {
    const first = await call(t.app, key, { method: 'GET', url: '/api/v1/programs?limit=1' });
    const next = await call(t.app, key, {
      method: 'GET',
      url: `/api/v1/programs?limit=1&cursor=${first.json().nextCursor}`,
    });
    expect(next.json().data[0].id).not.toBe(first.json().data[0].id);
  });
});

describe('logout', () => {
  it('answers 400 NOT_A_SESSION to an API key, which stays valid', async () => {
    const res = await call(t.app, key, { method: 'POST', url: '/api/v1/auth/logout' });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'NOT_A_SESSION']);
  });

  it('ends a session', async () => {
    const session = (await signupBrand(t.app)).token;
    expect((await call(t.app, session, { method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
    expect((await call(t.app, session, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
  });
});
