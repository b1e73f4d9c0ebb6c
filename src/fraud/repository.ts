/**
 * The SQL of fraud review: a program's settings, the alerts on codes, and a code's uses. The
 * checks a sale runs (check.ts) keep their own compiled lookups on the hot path.
 */
import type { DbOrTx } from '../db/database.js';
import type { CodeAlertsTable, FraudSettingsTable } from '../db/schema.js';

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
