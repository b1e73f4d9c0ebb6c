import type { Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { ProgramsTable } from '../db/schema.js';
import type { WorkspaceScope } from '../shared/principal.js';
import type { Program, Rate } from './schemas.js';

type Row = Selectable<ProgramsTable>;

export function rateToColumns(rate: Rate): { type: 'percent' | 'flat'; value: number } {
  return rate.type === 'percent' ? { type: 'percent', value: rate.bps } : { type: 'flat', value: rate.amount };
}

export function rateFromColumns(type: 'percent' | 'flat', value: number): Rate {
  return type === 'percent' ? { type: 'percent', bps: value } : { type: 'flat', amount: value };
}

export function toProgram(row: Row): Program {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    currency: row.currency,
    allowedDomains: JSON.parse(row.allowed_domains) as string[],
    defaultRate: rateFromColumns(row.default_rate_type, row.default_rate_value),
    attributionWindowDays: row.attribution_window_days,
    holdingDays: row.holding_days,
    minPayoutAmount: row.min_payout_amount,
    visibility: row.visibility,
    codeWinsOverClick: row.code_wins_over_click === 1,
    commissionDuration:
      row.commission_duration === 'months'
        ? { type: 'months', months: row.commission_duration_months ?? 1 }
        : { type: row.commission_duration },
    rateCutNoticeDays: row.rate_cut_notice_days,
    payoutAccount: row.payout_account ? (JSON.parse(row.payout_account) as Program['payoutAccount']) : null,
    utmDefaults: row.utm_defaults ? (JSON.parse(row.utm_defaults) as Program['utmDefaults']) : null,
    tiers: row.commission_tiers ? (JSON.parse(row.commission_tiers) as Program['tiers']) : [],
    leadRewardAmount: row.lead_reward_amount,
    timezone: row.timezone,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archivedAt: row.archived_at,
  };
}

export function toRow(workspaceId: string, p: Program): Row {
  const rate = rateToColumns(p.defaultRate);
  return {
    id: p.id,
    workspace_id: workspaceId,
    name: p.name,
    description: p.description,
    currency: p.currency,
    allowed_domains: JSON.stringify(p.allowedDomains),
    default_rate_type: rate.type,
    default_rate_value: rate.value,
    attribution_window_days: p.attributionWindowDays,
    holding_days: p.holdingDays,
    min_payout_amount: p.minPayoutAmount,
    visibility: p.visibility,
    code_wins_over_click: p.codeWinsOverClick ? 1 : 0,
    commission_duration: p.commissionDuration.type,
    commission_duration_months: p.commissionDuration.type === 'months' ? p.commissionDuration.months : null,
    rate_cut_notice_days: p.rateCutNoticeDays,
    payout_account: p.payoutAccount ? JSON.stringify(p.payoutAccount) : null,
    utm_defaults: p.utmDefaults ? JSON.stringify(p.utmDefaults) : null,
    commission_tiers: p.tiers.length > 0 ? JSON.stringify(p.tiers) : null,
    lead_reward_amount: p.leadRewardAmount,
    timezone: p.timezone,
    status: p.status,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    archived_at: p.archivedAt,
  };
}

export async function insertProgram(db: DbOrTx, scope: WorkspaceScope, program: Program): Promise<Program> {
  await db.insertInto('programs').values(toRow(scope.workspaceId, program)).execute();
  return program;
}

export async function findProgram(db: DbOrTx, scope: WorkspaceScope, id: string): Promise<Program | undefined> {
  const row = await db
    .selectFrom('programs')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', scope.workspaceId)
    .executeTakeFirst();
  return row ? toProgram(row) : undefined;
}

/** A program a creator may read the terms of: one it is enrolled in (whatever the status), or an open, active one. */
export async function findProgramForCreator(db: DbOrTx, creatorId: string, id: string): Promise<Program | undefined> {
  const row = await db
    .selectFrom('programs')
    .selectAll()
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('enrollments')
            .select('enrollments.id')
            .whereRef('enrollments.program_id', '=', 'programs.id')
            .where('enrollments.creator_id', '=', creatorId),
        ),
        eb.and([eb('visibility', '=', 'open'), eb('status', '=', 'active')]),
      ]),
    )
    .executeTakeFirst();
  return row ? toProgram(row) : undefined;
}

export async function programExists(db: DbOrTx, scope: WorkspaceScope, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('programs')
    .select('id')
    .where('id', '=', id)
    .where('workspace_id', '=', scope.workspaceId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Which workspace a program belongs to, and its currency, by its id alone: for the callers that
 * learn the workspace from the program (a webhook) or check it themselves (a creator's balance).
 */
export async function programOwner(
  db: DbOrTx,
  id: string,
): Promise<{ id: string; workspace_id: string; currency: string } | undefined> {
  return db.selectFrom('programs').select(['id', 'workspace_id', 'currency']).where('id', '=', id).executeTakeFirst();
}

export async function listPrograms(
  db: DbOrTx,
  scope: WorkspaceScope,
  opts: { limit: number; before?: string | undefined; status: 'active' | 'archived' | 'all' },
): Promise<Program[]> {
  let q = db
    .selectFrom('programs')
    .selectAll()
    .where('workspace_id', '=', scope.workspaceId)
    .orderBy('id', 'desc')
    .limit(opts.limit);
  if (opts.before) q = q.where('id', '<', opts.before);
  if (opts.status !== 'all') q = q.where('status', '=', opts.status);
  return (await q.execute()).map(toProgram);
}

/** Active programs open to applications that the creator has no enrollment in, newest first. */
export async function listOpenPrograms(
  db: DbOrTx,
  creatorId: string,
  opts: { limit: number; before?: string | undefined },
): Promise<Program[]> {
  let q = db
    .selectFrom('programs')
    .selectAll()
    .where('visibility', '=', 'open')
    .where('status', '=', 'active')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('enrollments')
            .select('enrollments.id')
            .whereRef('enrollments.program_id', '=', 'programs.id')
            .where('enrollments.creator_id', '=', creatorId),
        ),
      ),
    )
    .orderBy('id', 'desc')
    .limit(opts.limit);
  if (opts.before) q = q.where('id', '<', opts.before);
  return (await q.execute()).map(toProgram);
}

/** Writes the whole program back; the caller has read it in the same workspace. */
export async function saveProgram(db: DbOrTx, scope: WorkspaceScope, program: Program): Promise<Program> {
  const { id, workspace_id, created_at, ...rest } = toRow(scope.workspaceId, program);
  await db.updateTable('programs').set(rest).where('id', '=', id).where('workspace_id', '=', workspace_id).execute();
  return program;
}

/** The attribution window of an active program, in days; undefined for an unknown or inactive program. */
export async function activeAttributionWindow(db: DbOrTx, programId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('programs')
    .select('attribution_window_days')
    .where('id', '=', programId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row?.attribution_window_days;
}
