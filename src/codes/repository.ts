import type { Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import type { CodesTable } from '../db/schema.js';
import type { Rate } from '../programs/schemas.js';
import { codeKey } from './code.js';
import type { Code } from './schemas.js';

/** Who may see a code: the brand that owns the program, or the creator it belongs to. */
export type CodeViewer = { workspaceId: string } | { creatorId: string };

export interface CodeRow extends Code {
  workspaceId: string;
}

const toCode = (r: Selectable<CodesTable>): CodeRow => ({
  id: r.id,
  workspaceId: r.workspace_id,
  programId: r.program_id,
  creatorId: r.creator_id,
  contentId: r.content_id,
  code: r.code,
  discount: JSON.parse(r.discount) as Rate,
  status: r.status,
  activeFrom: r.active_from,
  activeUntil: r.active_until,
  replacedBy: r.replaced_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toRow = (c: CodeRow): Selectable<CodesTable> => ({
  id: c.id,
  workspace_id: c.workspaceId,
  program_id: c.programId,
  creator_id: c.creatorId,
  content_id: c.contentId,
  code: c.code,
  code_key: codeKey(c.code),
  discount: JSON.stringify(c.discount),
  status: c.status,
  active_from: c.activeFrom,
  active_until: c.activeUntil,
  replaced_by: c.replacedBy,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});

function visible(db: DbOrTx, viewer: CodeViewer) {
  const q = db.selectFrom('codes').selectAll();
  return 'workspaceId' in viewer
    ? q.where('workspace_id', '=', viewer.workspaceId)
    : q.where('creator_id', '=', viewer.creatorId);
}

export async function insertCode(db: DbOrTx, code: CodeRow): Promise<void> {
  await db.insertInto('codes').values(toRow(code)).execute();
}

/** Inserts a code unless the program has it already (codes ignore case); false when it has. */
export async function insertCodeIfFree(db: DbOrTx, code: CodeRow): Promise<boolean> {
  const res = await db
    .insertInto('codes')
    .values(toRow(code))
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function saveCode(db: DbOrTx, code: CodeRow): Promise<void> {
  const { id, ...rest } = toRow(code);
  await db.updateTable('codes').set(rest).where('id', '=', id).execute();
}

export async function findCode(db: DbOrTx, viewer: CodeViewer, id: string): Promise<CodeRow | undefined> {
  const row = await visible(db, viewer).where('id', '=', id).executeTakeFirst();
  return row ? toCode(row) : undefined;
}

export async function codeVisible(db: DbOrTx, viewer: CodeViewer, id: string): Promise<boolean> {
  return (await findCode(db, viewer, id)) !== undefined;
}

export async function codeTaken(db: DbOrTx, programId: string, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('codes')
    .select('id')
    .where('program_id', '=', programId)
    .where('code_key', '=', codeKey(code))
    .executeTakeFirst();
  return row !== undefined;
}

export async function listCodes(
  db: DbOrTx,
  viewer: CodeViewer,
  opts: {
    limit: number;
    before?: string | undefined;
    programId?: string | undefined;
    creatorId?: string | undefined;
    status?: 'active' | 'disabled' | undefined;
  },
): Promise<CodeRow[]> {
  let q = visible(db, viewer);
  if (opts.before) q = q.where('id', '<', opts.before);
  if (opts.programId) q = q.where('program_id', '=', opts.programId);
  if (opts.creatorId) q = q.where('creator_id', '=', opts.creatorId);
  if (opts.status) q = q.where('status', '=', opts.status);
  return (await q.orderBy('id', 'desc').limit(opts.limit).execute()).map(toCode);
}

/**
 * The code that attributes a sale in a program at a given time, whatever case the shopper typed:
 * one that was active then (a disabled or replaced code stops at its `active_until`).
 */
const codeByKey = prepared<{ programId: string; key: string }, Selectable<CodesTable>>(['programId', 'key'], (db, v) =>
  db.selectFrom('codes').selectAll().where('program_id', '=', v.programId).where('code_key', '=', v.key),
);

export async function codeForAttribution(
  db: DbOrTx,
  programId: string,
  typed: string,
  at: Date,
  /** How the code of a key is found: read from the database, unless the caller keeps codes. */
  lookup: (key: string) => Promise<CodeRow | null | undefined> = (key) => codeOfKey(db, programId, key),
): Promise<CodeRow | undefined> {
  const code = await lookup(codeKey(typed.trim()));
  return code && activeAt(code, at) ? code : undefined;
}

/** The code of a program with this key (`codeKey` of what was typed), active or not. */
export async function codeOfKey(db: DbOrTx, programId: string, key: string): Promise<CodeRow | undefined> {
  const row = await codeByKey.first(db, { programId, key });
  return row ? toCode(row) : undefined;
}

/** Whether a code attributed sales at a given time. */
function activeAt(code: CodeRow, at: Date): boolean {
  const t = at.toISOString();
  return t >= code.activeFrom && (code.activeUntil === null || t < code.activeUntil);
}
