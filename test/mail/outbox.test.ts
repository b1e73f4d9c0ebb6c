import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.js';
import {
  type Brand,
  call,
  createKey,
  createProgram,
  PASSWORD,
  signupBrand,
  signupCreator,
  startTestApp,
  type TestApp,
} from '../helpers/app.js';

/** Without SMTP, every email is kept in the outbox, which the operator reads. */
const clock = fixedClock(new Date('2026-12-07T10:00:00Z'));
let t: TestApp;
let operator: string;
let brand: Brand;

beforeAll(async () => {
  t = await startTestApp({ clock });
  brand = await signupBrand(t.app, 'Aino');
  const ops = await signupBrand(t.app, 'Ops');
  await t.database.handle.db.updateTable('users').set({ is_operator: 1 }).where('id', '=', ops.userId).execute();
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: ops.email, password: PASSWORD },
  });
  operator = login.json().token;
});
afterAll(async () => {
  await t?.close();
});

async function outbox(to: string) {
  const res = await call(t.app, operator, { method: 'GET', url: `/api/v1/admin/emails?to=${encodeURIComponent(to)}` });
  expect(res.statusCode).toBe(200);
  return res.json().data as { id: string; kind: string; status: string; subject: string; locale: string }[];
}

async function bodyOf(id: string) {
  const res = await call(t.app, operator, { method: 'GET', url: `/api/v1/admin/emails/${id}` });
  expect(res.statusCode).toBe(200);
  return res.json() as { text: string; html: string; subject: string; status: string };
}

function tokenIn(text: string): string {
  const match = /token=(kpt_[\w-]+)/.exec(text);
  if (!match?.[1]) throw new Error(`no token link in ${text}`);
  return match[1];
}

describe('email verification at signup', () => {
  it('keeps the verification email in the outbox when no SMTP server is configured', async () => {
    const mails = await outbox(brand.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: 'email_verification', status: 'outbox', locale: 'en' });
    const body = await bodyOf(mails[0]!.id);
    expect(body.text).toContain('http://127.0.0.1:8080/app/verify-email?token=kpt_');
  });

  it('verifies the address with the emailed token and says so on /me', async () => {
    const creator = await signupCreator(t.app, 'Veera');
    const [mail] = await outbox(creator.email);
    const token = tokenIn((await bodyOf(mail!.id)).text);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.emailVerifiedAt).toBe('2026-12-07T10:00:00.000Z');
    const me = await call(t.app, creator.token, { method: 'GET', url: '/api/v1/me' });
    expect(me.json().user.emailVerifiedAt).toBe('2026-12-07T10:00:00.000Z');
  });

  it('refuses a verification token the second time with 400 INVALID_TOKEN', async () => {
    const creator = await signupCreator(t.app, 'Kaisa');
    const [mail] = await outbox(creator.email);
    const token = tokenIn((await bodyOf(mail!.id)).text);
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('INVALID_TOKEN');
  });

  it('refuses a verification token after its 48 hours', async () => {
    const creator = await signupCreator(t.app, 'Late');
    const [mail] = await outbox(creator.email);
    const token = tokenIn((await bodyOf(mail!.id)).text);
    clock.advance(48 * 3_600_000 + 1);
    try {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INVALID_TOKEN');
    } finally {
      clock.advance(-(48 * 3_600_000 + 1));
    }
  });

  it('sends the link again on request, and refuses once the address is verified (409)', async () => {
    const creator = await signupCreator(t.app, 'Again');
    const resend = await call(t.app, creator.token, { method: 'POST', url: '/api/v1/auth/verify-email/resend' });
    expect(resend.statusCode).toBe(202);
    const mails = await outbox(creator.email);
    expect(mails.filter((m) => m.kind === 'email_verification')).toHaveLength(2);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/verify-email',
      payload: { token: tokenIn((await bodyOf(mails[0]!.id)).text) },
    });
    const after = await call(t.app, creator.token, { method: 'POST', url: '/api/v1/auth/verify-email/resend' });
    expect(after.statusCode).toBe(409);
    expect(after.json().error.code).toBe('EMAIL_ALREADY_VERIFIED');
  });
});

describe('password reset', () => {
  const ask = (email: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email } });
  const confirm = (token: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, password } });

  it('answers 202 for an address with no account and writes no email', async () => {
    const res = await ask('nobody-here@example.com');
    expect(res.statusCode).toBe(202);
    expect(await outbox('nobody-here@example.com')).toEqual([]);
  });

  it('sets a new password with the emailed token, ends every session, and the new password logs in', async () => {
    const creator = await signupCreator(t.app, 'Reset');
    expect((await ask(creator.email.toUpperCase())).statusCode).toBe(202);
    const reset = (await outbox(creator.email)).find((m) => m.kind === 'password_reset');
    expect(reset?.subject).toBe('Reset your password');
    const token = tokenIn((await bodyOf(reset!.id)).text);
    const done = await confirm(token, 'a-brand-new-long-pass');
    expect(done.statusCode).toBe(204);
    const old = await call(t.app, creator.token, { method: 'GET', url: '/api/v1/me' });
    expect(old.statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: creator.email, password: 'a-brand-new-long-pass' },
    });
    expect(login.statusCode).toBe(200);
    const oldPassword = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: creator.email, password: PASSWORD },
    });
    expect(oldPassword.statusCode).toBe(401);
  });

  it('refuses a reset token used once already', async () => {
    const creator = await signupCreator(t.app, 'Twice');
    await ask(creator.email);
    const reset = (await outbox(creator.email)).find((m) => m.kind === 'password_reset');
    const token = tokenIn((await bodyOf(reset!.id)).text);
    expect((await confirm(token, 'first-new-long-pass')).statusCode).toBe(204);
    const again = await confirm(token, 'second-new-long-pass');
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('INVALID_TOKEN');
  });

  it('lets only one of two simultaneous resets with one token win', async () => {
    const creator = await signupCreator(t.app, 'Race');
    await ask(creator.email);
    const reset = (await outbox(creator.email)).find((m) => m.kind === 'password_reset');
    const token = tokenIn((await bodyOf(reset!.id)).text);
    const answers = await Promise.all([confirm(token, 'race-one-long-pass'), confirm(token, 'race-two-long-pass')]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([204, 400]);
  });

  it('refuses a weak new password with 400 WEAK_PASSWORD and keeps the token usable', async () => {
    const creator = await signupCreator(t.app, 'Weak');
    await ask(creator.email);
    const reset = (await outbox(creator.email)).find((m) => m.kind === 'password_reset');
    const token = tokenIn((await bodyOf(reset!.id)).text);
    const weak = await confirm(token, 'short');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('WEAK_PASSWORD');
    expect((await confirm(token, 'a-good-long-password')).statusCode).toBe(204);
  });

  it('refuses a reset token after its hour', async () => {
    const creator = await signupCreator(t.app, 'Hour');
    await ask(creator.email);
    const reset = (await outbox(creator.email)).find((m) => m.kind === 'password_reset');
    const token = tokenIn((await bodyOf(reset!.id)).text);
    clock.advance(3_600_001);
    try {
      const res = await confirm(token, 'a-good-long-password');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INVALID_TOKEN');
    } finally {
      clock.advance(-3_600_001);
    }
  });

  it('writes one reset email for two requests within a minute', async () => {
    const creator = await signupCreator(t.app, 'Double');
    await ask(creator.email);
    await ask(creator.email);
    const resets = (await outbox(creator.email)).filter((m) => m.kind === 'password_reset');
    expect(resets).toHaveLength(1);
  });
});

describe('invitations and preferences', () => {
  it('writes an invitation email to the invited address, also for a creator with no account yet', async () => {
    const program = await createProgram(t.app, brand.token);
    const email = 'invited-later@example.com';
    const res = await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${program.id}/enrollments`,
      payload: { creatorEmail: email, message: 'We love your <b>videos</b>' },
    });
    expect(res.statusCode).toBe(201);
    const [mail] = await outbox(email);
    expect(mail).toMatchObject({ kind: 'invitation', subject: 'Aino Oy invites you to Revontuli Creators' });
    const body = await bodyOf(mail!.id);
    expect(body.text).toContain('We love your <b>videos</b>');
    expect(body.html).toContain('We love your &lt;b&gt;videos&lt;/b&gt;');
  });

  it('writes no invitation to a creator who turned invitations off', async () => {
    const creator = await signupCreator(t.app, 'Quiet');
    const put = await call(t.app, creator.token, {
      method: 'PUT',
      url: '/api/v1/me/email-preferences',
      payload: { kinds: { invitation: false } },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().kinds).toMatchObject({ invitation: false, payout_sent: true });
    const program = await createProgram(t.app, brand.token);
    await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${program.id}/enrollments`,
      payload: { creatorEmail: creator.email },
    });
    expect((await outbox(creator.email)).map((m) => m.kind)).toEqual(['email_verification']);
  });

  it('writes in Finnish to a person who chose Finnish', async () => {
    const creator = await signupCreator(t.app, 'Suomi');
    await call(t.app, creator.token, { method: 'PUT', url: '/api/v1/me/email-preferences', payload: { locale: 'fi' } });
    const program = await createProgram(t.app, brand.token);
    await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${program.id}/enrollments`,
      payload: { creatorEmail: creator.email },
    });
    const invitation = (await outbox(creator.email)).find((m) => m.kind === 'invitation');
    expect(invitation).toMatchObject({
      locale: 'fi',
      subject: 'Aino Oy kutsuu sinut kumppaniohjelmaan Revontuli Creators',
    });
  });

  it('reads the preferences back, every kind on and English by default', async () => {
    const creator = await signupCreator(t.app, 'Fresh');
    const res = await call(t.app, creator.token, { method: 'GET', url: '/api/v1/me/email-preferences' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      locale: 'en',
      kinds: {
        invitation: true,
        payout_sent: true,
        payout_failed: true,
        commission_approved: true,
        tax_details_missing: true,
      },
      updatedAt: null,
    });
  });

  it.each([
    [{ kinds: { password_reset: false } }, 'body.kinds.password_reset'],
    [{ locale: 'sv' }, 'body.locale'],
    [{ kinds: { invitation: 'no' } }, 'body.kinds.invitation'],
  ])('refuses preferences %j with 400 naming %s', async (payload, field) => {
    const res = await call(t.app, brand.token, { method: 'PUT', url: '/api/v1/me/email-preferences', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain(field);
  });

  it('refuses preferences to a workspace API key, which is no person (403)', async () => {
    const key = await createKey(t.app, brand.token, 'manager');
    const res = await call(t.app, key, { method: 'GET', url: '/api/v1/me/email-preferences' });
    expect(res.statusCode).toBe(403);
  });

  it('keeps the outbox from anyone but the operator (403)', async () => {
    const res = await call(t.app, brand.token, { method: 'GET', url: '/api/v1/admin/emails' });
    expect(res.statusCode).toBe(403);
  });
});
