/**
 * The SQL of fraud: a program's settings, the alerts on codes, a code's uses, and what the
 * checks of a sale (check.ts) read and write on the hot path, compiled once.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import { sql } from '../db/kysely.js';
import { prepared } from '../db/prepared.js';
import type { CodeAlertsTable, CodeUseDaysTable, CodeUsesTable, Database, FraudSettingsTable } from '../db/schema.js';
import { insertRows } from '../db/statements.js';

export async function saveFraudSettings(db: DbOrTx, row: FraudSettingsTable): Promise<void> {
  const { program_id, ...next } = row;
  await db
    .insertInto('fraud_settings')
    .values(row)
    .onConflict((oc) => oc.column('program_id').doUpdateSet(next))
    .execute();
}

export async function codesOfAlerts(db: DbOrTx, codeIds: string[]) {
  if (codeIds.length === 0) return [];
  return db.selectFrom('codes').select(['id', 'code', 'creator_id']).where('id', 'in', codeIds).execute();
}

export interface AlertFilter {
  limit: number;
  before?: string | undefined;
  status: 'open' | 'resolved' | 'all';
}

export async function listAlerts(
  db: DbOrTx,
  workspaceId: string,
  programId: string,
  opts: AlertFilter,
): Promise<CodeAlertsTable[]> {
  let q = db
    .selectFrom('code_alerts')
    .selectAll()
    .where('program_id', '=', programId)
    .where('workspace_id', '=', workspaceId);
  if (opts.status !== 'all') q = q.where('status', '=', opts.status);
  if (opts.before) q = q.where('id', '<', opts.before);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

/** The newest alerts of one code. */
export async function alertsOfCode(db: DbOrTx, codeId: string, limit: number): Promise<CodeAlertsTable[]> {
  return db
    .selectFrom('code_alerts')
    .selectAll()
    .where('code_id', '=', codeId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** An alert of the workspace; `undefined` for another's or none. */
export async function findAlert(db: DbOrTx, workspaceId: string, id: string): Promise<CodeAlertsTable | undefined> {
  return db
    .selectFrom('code_alerts')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

export async function getAlert(db: DbOrTx, id: string): Promise<CodeAlertsTable> {
  return db.selectFrom('code_alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function resolveAlert(
  db: DbOrTx,
  id: string,
  verdict: Pick<CodeAlertsTable, 'resolution' | 'note' | 'resolved_at' | 'resolved_by'>,
): Promise<void> {
  await db
    .updateTable('code_alerts')
    .set({ status: 'resolved', ...verdict })
    .where('id', '=', id)
    .execute();
}

/** A code's daily rollups from `fromDay` on, oldest first. */
export async function codeUseDays(db: DbOrTx, codeId: string, fromDay: string) {
  return db
    .selectFrom('code_use_days')
    .selectAll()
    .where('code_id', '=', codeId)
    .where('day', '>=', fromDay)
    .orderBy('day')
    .execute();
}

/** A code's uses since `fromDay`, counted by referrer host or country: the ten most frequent. */
export async function codeUsesBy(db: DbOrTx, codeId: string, fromDay: string, column: 'referrer_host' | 'country') {
  return db
    .selectFrom('code_uses')
    .select([column, (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('code_id', '=', codeId)
    .where('day', '>=', fromDay)
    .where(column, 'is not', null)
    .groupBy(column)
    .orderBy('n', 'desc')
    .limit(10)
    .execute();
}

export async function alertVisible(db: DbOrTx, workspaceId: string, id: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('code_alerts')
      .select('id')
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst()) !== undefined
  );
}

// What a sale's fraud checks read and write (check.ts), inside the sale's own transaction: the
// lookups of every attributed sale are compiled once (see db/prepared.ts), so they stay cheap on
// the hot path.
const settingsOf = prepared<{ programId: string }, Selectable<FraudSettingsTable>>(['programId'], (db, v) =>
  db.selectFrom('fraud_settings').selectAll().where('program_id', '=', v.programId),
);
const creatorEmails = prepared<{ creatorId: string }, { creatorEmail: string | null; userEmail: string | null }>(
  ['creatorId'],
  (db, v) =>
    db
      .selectFrom('creators')
      .leftJoin('users', 'users.id', 'creators.user_id')
      .select(['creators.email as creatorEmail', 'users.email as userEmail'])
      .where('creators.id', '=', v.creatorId),
);
const visitorClicks = prepared<
  { linkId: string; visitorHash: string; day: string; before: string },
  { clicks: number | string | null }
>(['linkId', 'visitorHash', 'day', 'before'], (db, v) =>
  db
    .selectFrom('click_visitors')
    .select((eb) => eb.fn.sum<number | string>('clicks').as('clicks'))
    .where('link_id', '=', v.linkId)
    .where('visitor_hash', '=', v.visitorHash)
    .where('day', 'in', [v.day, v.before]),
);
const addCodeUseDay = prepared<
  {
    codeId: string;
    day: string;
    uses: number;
    no_click_uses: number;
    new_customer_uses: number;
    coupon_site_uses: number;
  },
  never
>(['codeId', 'day', 'uses', 'no_click_uses', 'new_customer_uses', 'coupon_site_uses'], (db, v) =>
  db
    .insertInto('code_use_days')
    .values({
      code_id: v.codeId,
      day: v.day,
      uses: v.uses,
      no_click_uses: v.no_click_uses,
      new_customer_uses: v.new_customer_uses,
      coupon_site_uses: v.coupon_site_uses,
    })
    .onConflict((oc) =>
      oc.columns(['code_id', 'day']).doUpdateSet({
        uses: sql`code_use_days.uses + excluded.uses`,
        no_click_uses: sql`code_use_days.no_click_uses + excluded.no_click_uses`,
        new_customer_uses: sql`code_use_days.new_customer_uses + excluded.new_customer_uses`,
        coupon_site_uses: sql`code_use_days.coupon_site_uses + excluded.coupon_site_uses`,
      }),
    ),
);
const openAlertOf = prepared<{ codeId: string }, { id: string; detail: string }>(['codeId'], (db, v) =>
  db.selectFrom('code_alerts').select(['id', 'detail']).where('code_id', '=', v.codeId).where('status', '=', 'open'),
);
const codeUseDaysBetween = prepared<{ codeId: string; from: string; to: string }, Selectable<CodeUseDaysTable>>(
  ['codeId', 'from', 'to'],
  (db, v) =>
    db
      .selectFrom('code_use_days')
      .selectAll()
      .where('code_id', '=', v.codeId)
      .where('day', '>=', v.from)
      .where('day', '<=', v.to),
);

/** A program's own fraud settings, if it has any. */
export function fraudSettingsRow(db: Kysely<Database>, programId: string) {
  return settingsOf.first(db, { programId });
}

/** The creator's own email and its user's, to tell a self-referral. */
export function creatorEmailsOf(db: Kysely<Database>, creatorId: string) {
  return creatorEmails.first(db, { creatorId });
}

/** How often one visitor clicked one link on a day and the day before. */
export async function visitorClicksAround(
  db: Kysely<Database>,
  v: { linkId: string; visitorHash: string; day: string; before: string },
): Promise<number> {
  return Number((await visitorClicks.first(db, v))?.clicks ?? 0);
}

/** Adds a sale's use of a code to the code's row of the day. */
export async function addCodeUse(
  db: Kysely<Database>,
  v: {
    codeId: string;
    day: string;
    uses: number;
    no_click_uses: number;
    new_customer_uses: number;
    coupon_site_uses: number;
  },
): Promise<void> {
  await addCodeUseDay.run(db, v);
}

/** The open alert on a code, if there is one. */
export function openAlertOfCode(db: Kysely<Database>, codeId: string) {
  return openAlertOf.first(db, { codeId });
}

/** A code's daily rows from one day to another, both included. */
export function codeUseDaysFromTo(db: Kysely<Database>, codeId: string, from: string, to: string) {
  return codeUseDaysBetween.run(db, { codeId, from, to });
}

/** Records one use of a code by a sale. */
export async function insertCodeUse(db: Kysely<Database>, row: Insertable<CodeUsesTable>): Promise<void> {
  await insertRows(db, 'code_uses', [row]);
}

/** The first day a code was used, if ever. */
export async function firstCodeUseDay(db: DbOrTx, codeId: string): Promise<string | undefined> {
  const first = await db
    .selectFrom('code_use_days')
    .select('day')
    .where('code_id', '=', codeId)
    .orderBy('day')
    .limit(1)
    .executeTakeFirst();
  return first?.day;
}

/** A code's text and workspace, for an alert on it. */
export function codeForAlert(db: DbOrTx, codeId: string) {
  return db.selectFrom('codes').select(['code', 'workspace_id']).where('id', '=', codeId).executeTakeFirst();
}

export async function insertCodeAlert(db: DbOrTx, row: CodeAlertsTable): Promise<void> {
  await db.insertInto('code_alerts').values(row).execute();
}
