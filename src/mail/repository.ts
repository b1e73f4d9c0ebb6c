import type { Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { EmailMessagesTable, EmailStatus } from '../db/schema.js';
import type { EmailKind, Locale, OptionalKind } from './kinds.js';

export interface EmailSummary {
  id: string;
  kind: EmailKind;
  to: string;
  userId: string | null;
  locale: Locale;
  subject: string;
  status: EmailStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface EmailMessage extends EmailSummary {
  text: string | null;
  html: string | null;
}

export function toEmailMessage(row: Selectable<EmailMessagesTable>): EmailMessage {
  return {
    id: row.id,
    kind: row.kind as EmailKind,
    to: row.to_address,
    userId: row.user_id,
    locale: row.locale as Locale,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    text: row.text_body,
    html: row.html_body,
  };
}

export async function insertMessage(db: DbOrTx, row: EmailMessagesTable): Promise<void> {
  await db.insertInto('email_messages').values(row).execute();
}

/** Whether an email of this kind was written to the account since the given time. */
export async function wroteSince(db: DbOrTx, userId: string, kind: EmailKind, since: string): Promise<boolean> {
  const row = await db
    .selectFrom('email_messages')
    .select('id')
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('created_at', '>', since)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findMessage(db: DbOrTx, id: string) {
  const row = await db.selectFrom('email_messages').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toEmailMessage(row) : undefined;
}

export async function listMessages(
  db: DbOrTx,
  opts: { limit: number; before?: string | undefined; status?: EmailStatus | undefined; to?: string | undefined },
): Promise<EmailSummary[]> {
  let q = db.selectFrom('email_messages').selectAll().orderBy('id', 'desc').limit(opts.limit);
  if (opts.before) q = q.where('id', '<', opts.before);
  if (opts.status) q = q.where('status', '=', opts.status);
  if (opts.to) q = q.where('to_address', '=', opts.to);
  const rows = await q.execute();
  return rows.map((r) => {
    const { text: _t, html: _h, ...summary } = toEmailMessage(r);
    return summary;
  });
}

/** Ids of messages due for delivery: queued ones whose time has come, and claims that were left. */
export async function dueMessages(db: DbOrTx, at: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('email_messages')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('status', '=', 'queued'),
          eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', at)]),
        ]),
        eb.and([eb('status', '=', 'sending'), eb('next_attempt_at', '<=', at)]),
      ]),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Claims one message for delivery until `leaseUntil`: only one instance wins it. A claim that is
 * never settled (the process died while sending) can be taken again once the lease has passed.
 */
export async function claimMessage(db: DbOrTx, id: string, at: string, leaseUntil: string) {
  const row = await db
    .updateTable('email_messages')
    .set((eb) => ({ status: 'sending', next_attempt_at: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('status', '=', 'queued'),
          eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', at)]),
        ]),
        eb.and([eb('status', '=', 'sending'), eb('next_attempt_at', '<=', at)]),
      ]),
    )
    .returningAll()
    .executeTakeFirst();
  return row ? toEmailMessage(row) : undefined;
}

export async function markSent(
  db: DbOrTx,
  id: string,
  at: string,
  transportId: string,
  dropBody: boolean,
): Promise<void> {
  await db
    .updateTable('email_messages')
    .set({
      status: 'sent',
      sent_at: at,
      transport_id: transportId,
      next_attempt_at: null,
      last_error: null,
      ...(dropBody ? { text_body: null, html_body: null } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function markFailedAttempt(db: DbOrTx, id: string, error: string, retryAt: string | null): Promise<void> {
  await db
    .updateTable('email_messages')
    .set({ status: retryAt ? 'queued' : 'failed', next_attempt_at: retryAt, last_error: error.slice(0, 1000) })
    .where('id', '=', id)
    .execute();
}

export interface EmailPreferences {
  locale: Locale;
  disabled: OptionalKind[];
  updatedAt: string | null;
}

export async function findPreferences(db: DbOrTx, userId: string): Promise<EmailPreferences | undefined> {
  const row = await db.selectFrom('email_preferences').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!row) return undefined;
  return {
    locale: row.locale as Locale,
    disabled: JSON.parse(row.disabled_kinds) as OptionalKind[],
    updatedAt: row.updated_at,
  };
}

export async function savePreferences(
  db: DbOrTx,
  userId: string,
  prefs: { locale: Locale; disabled: OptionalKind[]; updatedAt: string },
): Promise<void> {
  const values = {
    locale: prefs.locale,
    disabled_kinds: JSON.stringify(prefs.disabled),
    updated_at: prefs.updatedAt,
  };
  await db
    .insertInto('email_preferences')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
}
