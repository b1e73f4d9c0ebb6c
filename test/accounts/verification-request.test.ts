import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.js';
import { emailedToken, PASSWORD, signUp, startTestApp, type TestApp, uniqueEmail } from '../helpers/app.js';

/**
 * POST /auth/verify-email/request: where signup is confirmed by email, an account cannot sign in
 * before its address is confirmed, so a confirmation link that expired is replaced without a
 * session. The answer tells nobody which addresses have accounts.
 */
const clock = fixedClock(new Date('2026-12-07T10:00:00Z'));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ clock, config: { publicUrl: 'https://kumppani.example.org' } });
});
afterAll(async () => {
  await t?.close();
});

const ask = (email: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email/request', payload: { email } });
const sent = (to: string) =>
  t.database.handle.db
    .selectFrom('email_messages')
    .select('kind')
    .where('to_address', '=', to)
    .where('kind', '=', 'email_verification')
    .execute()
    .then((rows) => rows.length);

describe('asking for a new confirmation link without signing in', () => {
  it('sends a new link to an account waiting for confirmation, at most one a minute, which confirms it', async () => {
    const email = uniqueEmail('waiting');
    const signup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email, password: PASSWORD, name: 'Veera', kind: 'creator' },
    });
    expect(signup.statusCode).toBe(202);
    const first = await emailedToken(t.app, email);
    // Within a minute of the signup's own email: answered, nothing more sent.
    expect((await ask(email)).statusCode).toBe(202);
    expect(await sent(email)).toBe(1);
    // The first link expires after 48 hours.
    clock.advance(49 * 3_600_000);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token: first } })).json(),
    ).toMatchObject({ error: { code: 'INVALID_TOKEN' } });
    const res = await ask(` ${email.toUpperCase()} `);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: true });
    expect(await sent(email)).toBe(2);
    const second = await emailedToken(t.app, email);
    expect(second).not.toBe(first);
    const verified = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/verify-email',
      payload: { token: second },
    });
    expect(verified.statusCode).toBe(200);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
  });

  it('answers alike for an unknown address and a confirmed one, and sends them nothing', async () => {
    const confirmed = uniqueEmail('confirmed');
    await signUp(t.app, { email: confirmed, password: PASSWORD, name: 'Aino', kind: 'brand' });
    clock.advance(120_000);
    const unknown = uniqueEmail('nobody');
    const a = await ask(unknown);
    const b = await ask(confirmed);
    expect([a.statusCode, b.statusCode]).toEqual([202, 202]);
    expect(a.json()).toEqual(b.json());
    expect(await sent(unknown)).toBe(0);
    expect(await sent(confirmed)).toBe(1);
  });

  it('refuses what is not an email address with the field named', async () => {
    const res = await ask('not an address');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.json().error.fields)).toContain('email');
  });
});
