/**
 * The money notices: what other domains call to tell a creator about their money. Each call
 * writes the email in the caller's transaction (it exists exactly when the payout's change is
 * committed); the caller then calls `kick()` to start delivery. Recipients who turned a kind off
 * get nothing.
 */
import type { Db, DbOrTx } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import type { MailService } from './service.js';

const TAX_NOTICE_EVERY_MS = 7 * 24 * 3_600_000;

/**
 * The web app's pages the emails link to (web/src/app.tsx): the creator's payouts page, which
 * holds the payout details too, and the creator's programs, where an invitation is answered.
 */
export const appPages = { payouts: '/app/me/payouts', programs: '/app/me/programs' } as const;

export interface PayoutNotice {
  creatorId: string;
  programId: string;
  amount: number;
  currency: string;
}

export interface MoneyNotices {
  payoutSent(
    tx: DbOrTx,
    payout: PayoutNotice & { method: string; reference?: string | null | undefined; paidAt: string },
  ): Promise<void>;
  /** `reason` is the sentence the creator reads: why it failed (a bank return, an unclaimed PayPal payment …). */
  payoutFailed(tx: DbOrTx, payout: PayoutNotice & { reason: string }): Promise<void>;
  /** `missing` is the sentence the creator reads: which details the program needs before it pays. */
  /** Told at most once a week per creator and brand, however many runs block the creator. */
  taxDetailsMissing(
    tx: DbOrTx,
    notice: { creatorId: string; programId: string; missing: string; at: string },
  ): Promise<void>;
  /** Starts delivering what was written, once the caller's transaction has committed. */
  kick(): void;
}

/** For callers with no mail (the command line's own runs, tests of other domains). */
export const noNotices: MoneyNotices = {
  payoutSent: async () => {},
  payoutFailed: async () => {},
  taxDetailsMissing: async () => {},
  kick: () => {},
};

async function parties(tx: DbOrTx, creatorId: string, programId: string) {
  const creator = await tx
    .selectFrom('creators')
    .select(['name', 'email', 'user_id', 'country'])
    .where('id', '=', creatorId)
    .executeTakeFirst();
  const program = await tx
    .selectFrom('programs as p')
    .innerJoin('workspaces as w', 'w.id', 'p.workspace_id')
    .select(['p.name as programName', 'w.name as brandName'])
    .where('p.id', '=', programId)
    .executeTakeFirst();
  if (!creator || !program) throw new Error(`no creator ${creatorId} or program ${programId} to write to`);
  return { creator, ...program };
}

export function moneyNotices(mail: MailService, publicUrl: string): MoneyNotices {
  const to = (c: { email: string; user_id: string | null; country: string | null }) => ({
    email: c.email,
    userId: c.user_id,
    country: c.country,
  });
  return {
    async payoutSent(tx, p) {
      const { creator, programName, brandName } = await parties(tx, p.creatorId, p.programId);
      await mail.enqueue(tx, 'payout_sent', to(creator), {
        name: creator.name,
        brandName,
        programName,
        amount: p.amount,
        currency: p.currency,
        method: p.method,
        reference: p.reference ?? null,
        paidAt: p.paidAt,
        url: `${publicUrl}${appPages.payouts}`,
      });
    },
    async payoutFailed(tx, p) {
      const { creator, programName, brandName } = await parties(tx, p.creatorId, p.programId);
      await mail.enqueue(tx, 'payout_failed', to(creator), {
        name: creator.name,
        brandName,
        programName,
        amount: p.amount,
        currency: p.currency,
        reason: p.reason,
        url: `${publicUrl}${appPages.payouts}`,
      });
    },
    async taxDetailsMissing(tx, n) {
      const { creator, programName, brandName } = await parties(tx, n.creatorId, n.programId);
      // Every run that blocks the creator would tell them again: once a week is enough.
      const since = new Date(Date.parse(n.at) - TAX_NOTICE_EVERY_MS).toISOString();
      const recent = await tx
        .selectFrom('email_messages')
        .select('id')
        .where('kind', '=', 'tax_details_missing')
        .where('to_address', '=', creator.email.trim().toLowerCase())
        .where('created_at', '>', since)
        .where('subject', 'like', `%${brandName}%`)
        .executeTakeFirst();
      if (recent) return;
      await mail.enqueue(tx, 'tax_details_missing', to(creator), {
        name: creator.name,
        brandName,
        programName,
        missing: n.missing,
        url: `${publicUrl}${appPages.payouts}`,
      });
    },
    kick: () => mail.kick(),
  };
}

const APPROVED_CURSOR = 'commission_approved';

/**
 * Tells creators of their newly approved commissions, one email per creator, program and run,
 * by reading the ledger's approval events after the last one told. Whatever approved them (the
 * server's timer, the command line, a manager's release) is told the next time this runs. Safe on
 * many instances: the cursor moves by compare-and-set, and the loser's emails roll back with it.
 * The first run starts at the latest event, so a new install does not mail its history.
 */
export async function notifyApprovedCommissions(
  db: Db,
  mail: MailService,
  clock: Clock,
  batch = 1_000,
): Promise<number> {
  let told = 0;
  for (;;) {
    const outcome = await db.transaction().execute(async (tx) => {
      const at = clock.now().toISOString();
      const cursor = await tx
        .selectFrom('mail_cursors')
        .select('position')
        .where('name', '=', APPROVED_CURSOR)
        .executeTakeFirst();
      if (!cursor) {
        const last = await tx
          .selectFrom('commission_events')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirst();
        await tx
          .insertInto('mail_cursors')
          .values({ name: APPROVED_CURSOR, position: last?.id ?? '', updated_at: at })
          .onConflict((oc) => oc.column('name').doNothing())
          .execute();
        return { done: true, told: 0 };
      }
      const events = await tx
        .selectFrom('commission_events as e')
        .innerJoin('commissions as c', 'c.id', 'e.commission_id')
        .select(['e.id', 'c.creator_id', 'c.program_id', 'c.amount', 'c.currency'])
        .where('e.id', '>', cursor.position)
        .where('e.to_status', '=', 'approved')
        .orderBy('e.id')
        .limit(batch)
        .execute();
      const last = events[events.length - 1];
      if (!last) return { done: true, told: 0 };
      const moved = await tx
        .updateTable('mail_cursors')
        .set({ position: last.id, updated_at: at })
        .where('name', '=', APPROVED_CURSOR)
        .where('position', '=', cursor.position)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) return { done: true, told: 0 }; // another instance told them
      const groups = new Map<
        string,
        { creatorId: string; programId: string; currency: string; count: number; amount: number }
      >();
      for (const e of events) {
        const key = `${e.creator_id}\u0000${e.program_id}\u0000${e.currency}`;
        const g = groups.get(key) ?? {
          creatorId: e.creator_id,
          programId: e.program_id,
          currency: e.currency,
          count: 0,
          amount: 0,
        };
        g.count += 1;
        g.amount += e.amount;
        groups.set(key, g);
      }
      for (const g of groups.values()) {
        const { creator, programName } = await parties(tx, g.creatorId, g.programId);
        const id = await mail.enqueue(
          tx,
          'commission_approved',
          { email: creator.email, userId: creator.user_id, country: creator.country },
          { name: creator.name, programName, count: g.count, amount: g.amount, currency: g.currency },
        );
        if (id) told += 1;
      }
      return { done: events.length < batch, told };
    });
    if (outcome.done) break;
  }
  if (told > 0) mail.kick();
  return told;
}

/** The invitation email, written in the invitation's transaction. */
export function invitationNotice(mail: MailService, publicUrl: string) {
  return async (
    tx: DbOrTx,
    invitation: { programId: string; creatorId: string; email: string; message: string | null },
  ): Promise<void> => {
    const { creator, programName, brandName } = await parties(tx, invitation.creatorId, invitation.programId);
    await mail.enqueue(
      tx,
      'invitation',
      { email: invitation.email, userId: creator.user_id, country: creator.country },
      { brandName, programName, message: invitation.message, url: `${publicUrl}${appPages.programs}` },
    );
  };
}
