import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailedToken, PASSWORD, signUp, startTestApp, type TestApp, uniqueEmail } from '../helpers/app.js';

/**
 * On an instance the world can reach (its public URL is not a loopback address) signup tells
 * nobody which addresses have accounts: the answer is the same either way, the address learns
 * the rest by email, and an account made this way signs in once its address is confirmed.
 */
const PUBLIC = { publicUrl: 'https://kumppani.example.org' };
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ config: PUBLIC });
});
afterAll(async () => {
  await t?.close();
});

const signup = (payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload });
const login = (email: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
const emails = (to: string) =>
  t.database.handle.db
    .selectFrom('email_messages')
    .select('kind')
    .where('to_address', '=', to)
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((r) => r.kind));

describe('signup on an instance the world can reach', () => {
  it('answers a new address and one that has an account alike', async () => {
    const existing = uniqueEmail('taken');
    await signUp(t.app, { email: existing, password: PASSWORD, name: 'Aino', kind: 'brand' });
    for (const kind of ['brand', 'creator']) {
      const fresh = await signup({ email: uniqueEmail('new'), password: 'another-good-passphrase', name: 'X', kind });
      const taken = await signup({ email: existing, password: 'another-good-passphrase', name: 'X', kind });
      expect(fresh.statusCode, fresh.body).toBe(202);
      expect(taken.statusCode, taken.body).toBe(202);
      expect(taken.json()).toEqual(fresh.json());
      expect(fresh.json()).toEqual({ accepted: true });
    }
  });

  it('changes nothing in the existing account, and tells its address that someone tried', async () => {
    const email = uniqueEmail('owner');
    await signUp(t.app, { email, password: PASSWORD, name: 'Aino', kind: 'creator' });
    const before = await emails(email);
    expect(before).toEqual(['email_verification']);
    const res = await signup({ email, password: 'attackers-own-passphrase', name: 'Mallory', kind: 'brand' });
    expect(res.statusCode).toBe(202);
    expect(await emails(email)).toEqual(['email_verification', 'signup_attempt']);
    const users = await t.database.handle.db
      .selectFrom('users')
      .select(['name', 'kind'])
      .where('email', '=', email)
      .execute();
    expect(users).toEqual([{ name: 'Aino', kind: 'creator' }]);
    expect((await login(email, PASSWORD)).statusCode).toBe(200);
    expect((await login(email, 'attackers-own-passphrase')).statusCode).toBe(401);
  });

  it('writes one such email a minute, however often someone tries', async () => {
    const email = uniqueEmail('pestered');
    await signUp(t.app, { email, password: PASSWORD, name: 'Aino', kind: 'creator' });
    for (let i = 0; i < 3; i++) {
      expect(
        (await signup({ email, password: 'attackers-own-passphrase', name: 'M', kind: 'creator' })).statusCode,
      ).toBe(202);
    }
    expect((await emails(email)).filter((k) => k === 'signup_attempt')).toHaveLength(1);
  });

  it('lets a new account sign in only once its address is confirmed, answering before as a wrong password', async () => {
    const email = uniqueEmail('pending');
    expect(
      (await signup({ email, password: PASSWORD, name: 'Aino', kind: 'brand', workspaceName: 'Aino Oy' })).statusCode,
    ).toBe(202);
    expect(await emails(email)).toEqual(['email_verification']);
    const early = await login(email, PASSWORD);
    const wrong = await login(email, 'not-the-password-at-all');
    expect(early.statusCode).toBe(401);
    expect(early.json().error).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(early.json().error.message).toBe(wrong.json().error.message);

    const token = await emailedToken(t.app, email);
    const verified = await t.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });
    expect(verified.statusCode, verified.body).toBe(200);
    const res = await login(email, PASSWORD);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().workspace.name).toBe('Aino Oy');
  });
});

describe('signup by invitation on an instance the world can reach', () => {
  let invited: TestApp;
  beforeAll(async () => {
    invited = await startTestApp({ config: { ...PUBLIC, brandSignup: 'invite' } });
  });
  afterAll(async () => {
    await invited?.close();
  });

  it('refuses an unknown code alike for a new address and one that has an account', async () => {
    const email = uniqueEmail('creator-first');
    await signUp(invited.app, { email, password: PASSWORD, name: 'Aino', kind: 'creator' });
    const brand = (to: string) =>
      invited.app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: { email: to, password: PASSWORD, name: 'Aino', kind: 'brand', inviteCode: 'kbi_not-a-real-code' },
      });
    const taken = await brand(email);
    const fresh = await brand(uniqueEmail('fresh'));
    expect(taken.statusCode).toBe(403);
    expect(fresh.statusCode).toBe(403);
    expect(taken.json().error.code).toBe(fresh.json().error.code);
    expect(taken.json().error.message).toBe(fresh.json().error.message);
  });
});
