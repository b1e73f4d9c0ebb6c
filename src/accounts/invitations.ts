import { createHmac, randomBytes } from 'node:crypto';
import type { Db, DbOrTx } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';

const INVITATION_TTL_MS = 14 * 86_400_000;

const hashCode = (secret: string, code: string) =>
  createHmac('sha256', secret).update(`brand-invitation:${code.trim()}`).digest('base64url');

/**
 * Where brand signup is by invitation (`KUMPPANI_BRAND_SIGNUP=invite`), an operator hands out
 * one-time codes; each lets one brand sign up within 14 days, for one email when it names one.
 * Codes are kept only as a keyed hash.
 */
export async function createInvitation(
  db: Db,
  secret: string,
  clock: Clock,
  input: { email: string | null; createdBy: string },
): Promise<{ id: string; code: string; email: string | null; expiresAt: string }> {
  const code = `kbi_${randomBytes(18).toString('base64url')}`;
  const now = clock.now();
  const row = {
    id: newId('brandInvitation', now.getTime()),
    code_hash: hashCode(secret, code),
    email: input.email,
    created_by: input.createdBy,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + INVITATION_TTL_MS).toISOString(),
    used_at: null,
    used_by: null,
  };
  await db.insertInto('brand_invitations').values(row).execute();
  return { id: row.id, code, email: row.email, expiresAt: row.expires_at };
}

/** Whether a code would let this email sign up as a brand now; uses nothing. */
export async function invitationUsable(db: DbOrTx, secret: string, code: string, email: string, at: string) {
  const row = await db
    .selectFrom('brand_invitations')
    .select('id')
    .where('code_hash', '=', hashCode(secret, code))
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .where((eb) => eb.or([eb('email', 'is', null), eb('email', '=', email)]))
    .executeTakeFirst();
  return row !== undefined;
}

/** Uses an invitation for a new brand user; false when the code is unknown, used, expired or for another email. */
export async function claimInvitation(
  tx: DbOrTx,
  secret: string,
  code: string,
  email: string,
  userId: string,
  at: string,
): Promise<boolean> {
  const res = await tx
    .updateTable('brand_invitations')
    .set({ used_at: at, used_by: userId })
    .where('code_hash', '=', hashCode(secret, code))
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .where((eb) => eb.or([eb('email', 'is', null), eb('email', '=', email)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
