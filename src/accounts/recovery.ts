/**
 * Email verification at signup and password reset: one-time tokens sent by email, stored only
 * as a keyed hash, valid for a while and used once.
 */
import { randomBytes } from 'node:crypto';
import type { Db, DbOrTx } from '../db/database.js';
import { wroteSince } from '../mail/repository.js';
import type { MailService } from '../mail/service.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { DEFAULT_SCRYPT, hashPassword, passwordWeakness, type ScryptParams } from './password.js';
import { findUserById, toUser } from './repository.js';
import { hashToken } from './tokens.js';

export const VERIFY_TTL_MS = 48 * 3_600_000;
export const RESET_TTL_MS = 60 * 60_000;
/** A second reset email within this time is not sent: a form pressed twice, or someone pestering. */
const RESET_RESEND_MS = 60_000;

type Purpose = 'verify_email' | 'reset_password';

const invalidToken = () =>
  new AppError('INVALID_TOKEN', 'The link is unknown, expired or already used; ask for a new one', [
    { path: 'body.token', message: 'unknown, expired or used' },
  ]);

export function recoveryService({
  db,
  secret,
  clock,
  mail,
  publicUrl,
  passwordParams = DEFAULT_SCRYPT,
}: {
  db: Db;
  secret: string;
  clock: Clock;
  mail: MailService;
  publicUrl: string;
  passwordParams?: ScryptParams | undefined;
}) {
  async function issue(tx: DbOrTx, userId: string, email: string, purpose: Purpose, ttlMs: number): Promise<string> {
    const token = `kpt_${randomBytes(32).toString('base64url')}`;
    const at = clock.now();
    await tx
      .insertInto('email_tokens')
      .values({
        id: newId('emailToken', at.getTime()),
        user_id: userId,
        purpose,
        email,
        token_hash: hashToken(secret, token),
        created_at: at.toISOString(),
        expires_at: new Date(at.getTime() + ttlMs).toISOString(),
        used_at: null,
      })
      .execute();
    return token;
  }

  /**
   * Uses a token once: the update that marks it used is the one that wins, so two requests with
   * one token cannot both succeed. Answers the token's user, still holding the address it was sent to.
   */
  async function consume(tx: DbOrTx, token: string, purpose: Purpose) {
    const at = clock.now().toISOString();
    const used = await tx
      .updateTable('email_tokens')
      .set({ used_at: at })
      .where('token_hash', '=', hashToken(secret, token))
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .returning(['user_id', 'email'])
      .executeTakeFirst();
    if (!used) throw invalidToken();
    const user = await tx.selectFrom('users').selectAll().where('id', '=', used.user_id).executeTakeFirst();
    // An address changed since the link was sent is not verified by it.
    if (!user || user.email !== used.email) throw invalidToken();
    return user;
  }

  /** Sends the verification link to a user's address (at signup, and when asked again). */
  async function sendVerification(userId: string): Promise<void> {
    const user = await findUserById(db, userId);
    if (!user) throw notFound('User');
    if (user.emailVerifiedAt) throw new AppError('EMAIL_ALREADY_VERIFIED', 'This email address is already verified');
    await db.transaction().execute(async (tx) => {
      const token = await issue(tx, user.id, user.email, 'verify_email', VERIFY_TTL_MS);
      await mail.enqueue(
        tx,
        'email_verification',
        { email: user.email, userId: user.id },
        {
          name: user.name,
          url: `${publicUrl}/app/verify-email?token=${token}`,
          validHours: VERIFY_TTL_MS / 3_600_000,
        },
      );
    });
    mail.kick();
  }

  /**
   * Sends a new verification link to an address whose account waits for confirmation, asked
   * without a session (such an account cannot sign in). Nothing is sent to an address with no
   * account or one already confirmed, and at most one link a minute; the caller answers the same.
   */
  async function requestVerification(emailInput: string): Promise<void> {
    const email = emailInput.trim().toLowerCase();
    const user = await db
      .selectFrom('users')
      .select(['id', 'email_verified_at'])
      .where('email', '=', email)
      .executeTakeFirst();
    if (!user || user.email_verified_at) return;
    const since = new Date(clock.now().getTime() - RESET_RESEND_MS).toISOString();
    const recent = await db
      .selectFrom('email_tokens')
      .select('id')
      .where('user_id', '=', user.id)
      .where('purpose', '=', 'verify_email')
      .where('created_at', '>', since)
      .executeTakeFirst();
    if (recent) return;
    await sendVerification(user.id);
  }

  async function verifyEmail(token: string) {
    const row = await db.transaction().execute(async (tx) => {
      const user = await consume(tx, token, 'verify_email');
      const at = user.email_verified_at ?? clock.now().toISOString();
      await tx.updateTable('users').set({ email_verified_at: at }).where('id', '=', user.id).execute();
      return { ...user, email_verified_at: at };
    });
    return toUser(row);
  }

  /**
   * Sends a reset link when the address has an account. The answer is the same whether it has
   * one or not, so the form tells nobody which addresses have accounts.
   */
  async function requestReset(emailInput: string): Promise<void> {
    const email = emailInput.trim().toLowerCase();
    const user = await db
      .selectFrom('users')
      .select(['id', 'name', 'email'])
      .where('email', '=', email)
      .executeTakeFirst();
    if (!user) return;
    const since = new Date(clock.now().getTime() - RESET_RESEND_MS).toISOString();
    const recent = await db
      .selectFrom('email_tokens')
      .select('id')
      .where('user_id', '=', user.id)
      .where('purpose', '=', 'reset_password')
      .where('created_at', '>', since)
      .executeTakeFirst();
    if (recent) return;
    await db.transaction().execute(async (tx) => {
      const token = await issue(tx, user.id, user.email, 'reset_password', RESET_TTL_MS);
      await mail.enqueue(
        tx,
        'password_reset',
        { email: user.email, userId: user.id },
        {
          name: user.name,
          url: `${publicUrl}/app/reset-password?token=${token}`,
          validMinutes: RESET_TTL_MS / 60_000,
        },
      );
    });
    mail.kick();
  }

  /**
   * Sets a new password with a reset token. Every session of the account ends and every other
   * reset link dies with it; following the emailed link also proves the address.
   */
  async function resetPassword(token: string, password: string): Promise<void> {
    // The token is checked before the slow hash, and used in the transaction that saves it.
    const probe = await db
      .selectFrom('email_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['u.email'])
      .where('t.token_hash', '=', hashToken(secret, token))
      .where('t.purpose', '=', 'reset_password')
      .where('t.used_at', 'is', null)
      .where('t.expires_at', '>', clock.now().toISOString())
      .executeTakeFirst();
    if (!probe) throw invalidToken();
    const weakness = passwordWeakness(password, probe.email);
    if (weakness) throw new AppError('WEAK_PASSWORD', weakness, [{ path: 'body.password', message: weakness }]);
    const passwordHash = await hashPassword(password, passwordParams);
    await db.transaction().execute(async (tx) => {
      const user = await consume(tx, token, 'reset_password');
      const at = clock.now().toISOString();
      await tx
        .updateTable('users')
        .set({ password_hash: passwordHash, email_verified_at: user.email_verified_at ?? at })
        .where('id', '=', user.id)
        .execute();
      await tx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
      await tx
        .updateTable('email_tokens')
        .set({ used_at: at })
        .where('user_id', '=', user.id)
        .where('purpose', '=', 'reset_password')
        .where('used_at', 'is', null)
        .execute();
    });
  }

  /**
   * Tells an account's address that someone tried to sign up with it (where signup answers the
   * same either way), pointing to sign-in and the password reset. At most one a minute.
   */
  async function tellOfSignupAttempt(userId: string): Promise<void> {
    const user = await findUserById(db, userId);
    if (!user) throw notFound('User');
    const since = new Date(clock.now().getTime() - RESET_RESEND_MS).toISOString();
    if (await wroteSince(db, user.id, 'signup_attempt', since)) return;
    await db.transaction().execute(async (tx) => {
      await mail.enqueue(
        tx,
        'signup_attempt',
        { email: user.email, userId: user.id },
        { name: user.name, loginUrl: `${publicUrl}/app/login`, resetUrl: `${publicUrl}/app/reset-password` },
      );
    });
    mail.kick();
  }

  return { sendVerification, requestVerification, verifyEmail, requestReset, resetPassword, tellOfSignupAttempt };
}

export type RecoveryService = ReturnType<typeof recoveryService>;
