import type { Db, DbOrTx } from '../db/database.js';
import type { EmailStatus } from '../db/schema.js';
import type { Clock } from '../shared/clock.js';
import { notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import {
  defaultLocale,
  type EmailKind,
  isOptionalKind,
  type Locale,
  type OptionalKind,
  optionalKinds,
} from './kinds.js';
import * as repo from './repository.js';
import { type EmailData, renderEmail } from './templates.js';
import type { MailTransport } from './transport.js';

export interface MailDeps {
  db: Db;
  clock: Clock;
  /** SMTP when configured; without it, every email is kept in the outbox for the operator. */
  transport?: MailTransport | undefined;
  from: string;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void } | undefined;
}

export interface Recipient {
  email: string;
  /** The account the address belongs to, when it has one: its preferences apply. */
  userId?: string | null | undefined;
  /** The country the person gave, for the language when they have not chosen one. */
  country?: string | null | undefined;
}

/** Waits before each new attempt at an SMTP delivery that failed; after the last, it has failed. */
const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
const LEASE_MS = 10 * 60_000;
/** Links in these are credentials: once delivered, their bodies are not kept. */
const secretKinds = new Set<EmailKind>(['email_verification', 'password_reset']);

export function mailService({ db, clock, transport, from, log }: MailDeps) {
  const now = () => clock.now().toISOString();

  async function recipientOf(tx: DbOrTx, to: Recipient) {
    const email = to.email.trim().toLowerCase();
    let userId = to.userId ?? null;
    if (!userId) {
      const user = await tx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
      userId = user?.id ?? null;
    }
    const prefs = userId ? await repo.findPreferences(tx, userId) : undefined;
    return { email, userId, prefs };
  }

  /**
   * Writes an email in the caller's transaction, so that it exists exactly when what it tells
   * of has happened. Answers the message's id, or null when the recipient has turned the kind off.
   * With SMTP it is queued and `deliver()` sends it; without, it stays in the outbox.
   */
  async function enqueue<K extends EmailKind>(
    tx: DbOrTx,
    kind: K,
    to: Recipient,
    data: EmailData[K],
  ): Promise<string | null> {
    const r = await recipientOf(tx, to);
    if (isOptionalKind(kind) && r.prefs?.disabled.includes(kind)) return null;
    const locale: Locale = r.prefs?.locale ?? defaultLocale(to.country);
    const rendered = renderEmail(kind, locale, data);
    const id = newId('email', clock.now().getTime());
    await repo.insertMessage(tx, {
      id,
      kind,
      to_address: r.email,
      user_id: r.userId,
      locale,
      subject: rendered.subject,
      text_body: rendered.text,
      html_body: rendered.html,
      status: transport ? 'queued' : 'outbox',
      attempts: 0,
      last_error: null,
      transport_id: null,
      next_attempt_at: null,
      created_at: now(),
      sent_at: null,
    });
    return id;
  }

  async function deliverOne(id: string): Promise<boolean> {
    if (!transport) return false;
    const at = clock.now();
    const message = await repo.claimMessage(db, id, at.toISOString(), new Date(at.getTime() + LEASE_MS).toISOString());
    if (!message) return false; // another instance took it
    try {
      const { messageId } = await transport.send({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text ?? '',
        html: message.html ?? '',
        messageRef: message.id,
      });
      await repo.markSent(db, id, now(), messageId, secretKinds.has(message.kind));
      return true;
    } catch (err) {
      const delay = RETRY_DELAYS_MS[message.attempts - 1];
      const retryAt = delay === undefined ? null : new Date(clock.now().getTime() + delay).toISOString();
      const reason = err instanceof Error ? err.message : String(err);
      await repo.markFailedAttempt(db, id, reason, retryAt);
      log?.warn(
        { emailId: id, attempts: message.attempts, err },
        retryAt ? 'email delivery failed; will retry' : 'email delivery failed for good',
      );
      return false;
    }
  }

  /** Sends every due message over SMTP; answers how many went out. Safe on many instances at once. */
  async function deliver(limit = 100): Promise<number> {
    if (!transport) return 0;
    let sent = 0;
    for (;;) {
      const ids = await repo.dueMessages(db, now(), limit);
      for (const id of ids) if (await deliverOne(id)) sent += 1;
      if (ids.length < limit) return sent;
    }
  }

  let running: Promise<unknown> | undefined;
  let again = false;
  /** Starts a delivery in the background after a commit; deliveries never overlap in one process. */
  function kick(): void {
    if (!transport) return;
    if (running) {
      again = true;
      return;
    }
    running = deliver()
      .catch((err: unknown) => log?.error({ err }, 'email delivery stopped'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  /** Waits for a delivery in progress (closing the server, tests). */
  async function settled(): Promise<void> {
    while (running) await running;
  }

  async function getMessage(id: string) {
    const message = await repo.findMessage(db, id);
    if (!message) throw notFound('Email');
    return message;
  }

  async function listMessages(opts: {
    limit: number;
    before?: string | undefined;
    status?: EmailStatus | undefined;
    to?: string | undefined;
  }) {
    return repo.listMessages(db, { ...opts, to: opts.to?.trim().toLowerCase() });
  }

  async function defaultLocaleOf(userId: string): Promise<Locale> {
    const creator = await db.selectFrom('creators').select('country').where('user_id', '=', userId).executeTakeFirst();
    if (creator) return defaultLocale(creator.country);
    const ws = await db
      .selectFrom('memberships as m')
      .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
      .select('w.country')
      .where('m.user_id', '=', userId)
      .orderBy('m.created_at')
      .executeTakeFirst();
    return defaultLocale(ws?.country);
  }

  async function preferences(userId: string) {
    const prefs = await repo.findPreferences(db, userId);
    const locale = prefs?.locale ?? (await defaultLocaleOf(userId));
    const disabled = new Set(prefs?.disabled ?? []);
    return {
      locale,
      kinds: Object.fromEntries(optionalKinds.map((k) => [k, !disabled.has(k)])) as Record<OptionalKind, boolean>,
      updatedAt: prefs?.updatedAt ?? null,
    };
  }

  async function setPreferences(
    userId: string,
    input: { locale?: Locale | undefined; kinds?: Partial<Record<OptionalKind, boolean>> | undefined },
  ) {
    const current = await preferences(userId);
    const kinds = { ...current.kinds, ...input.kinds };
    await repo.savePreferences(db, userId, {
      locale: input.locale ?? current.locale,
      disabled: optionalKinds.filter((k) => kinds[k] === false),
      updatedAt: now(),
    });
    return preferences(userId);
  }

  function close(): void {
    transport?.close();
  }

  return {
    enqueue,
    deliver,
    kick,
    settled,
    getMessage,
    listMessages,
    preferences,
    setPreferences,
    close,
    smtp: transport !== undefined,
  };
}

export type MailService = ReturnType<typeof mailService>;
