import type { DbOrTx } from '../db/database.js';
import { AppError } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import type { AnalyticsQuery } from './schemas.js';

/**
 * Whose numbers a caller may read: a brand its workspace's programs, a creator only its own
 * numbers in the programs it has joined, the operator the whole network.
 */
export interface AnalyticsScope {
  programs: { id: string; currency: string; timezone: string }[];
  /** Set for a creator: every number is narrowed to it, whatever the query says. */
  creatorId: string | undefined;
  /** Labels: names of the creators, links, codes, contents and products in scope. */
}

const missing = (field: string, what: string) =>
  new AppError('NOT_FOUND', `${what} not found`, [
    { path: `querystring.${field}`, message: `no such ${what.toLowerCase()} here` },
  ]);

/** The programs a caller may read, narrowed by `programId`; 404 for one it may not see. */
export async function scopeOf(db: DbOrTx, principal: Principal, q: AnalyticsQuery): Promise<AnalyticsScope> {
  let programs = db.selectFrom('programs').select(['id', 'currency', 'timezone']);
  let creatorId: string | undefined;
  if (principal.isOperator) {
    // the network
  } else if (principal.workspace) {
    programs = programs.where('workspace_id', '=', principal.workspace.id);
  } else if (principal.creatorId) {
    creatorId = principal.creatorId;
    programs = programs.where('id', 'in', (eb) =>
      eb
        .selectFrom('enrollments')
        .select('program_id')
        .where('creator_id', '=', principal.creatorId as string)
        .where('status', 'in', ['approved', 'suspended']),
    );
  } else {
    throw new AppError('FORBIDDEN', 'Analytics need a brand or creator account');
  }
  if (q.programId) programs = programs.where('id', '=', q.programId);
  const rows = await programs.orderBy('id').execute();
  if (q.programId && rows.length === 0) throw missing('programId', 'Program');
  if (creatorId && q.creatorId && q.creatorId !== creatorId) throw missing('creatorId', 'Creator');
  return { programs: rows, creatorId };
}

/** Checks that each id the query names is in scope: another brand's ids are answered 404, with the field. */
export async function checkFilters(db: DbOrTx, scope: AnalyticsScope, q: AnalyticsQuery): Promise<void> {
  const ids = scope.programs.map((p) => p.id);
  const none = ids.length === 0;
  const creator = q.creatorId ?? scope.creatorId;
  if (q.creatorId && !scope.creatorId) {
    const found = none
      ? undefined
      : await db
          .selectFrom('enrollments')
          .select('id')
          .where('creator_id', '=', q.creatorId)
          .where('program_id', 'in', ids)
          .executeTakeFirst();
    if (!found) throw missing('creatorId', 'Creator');
  }
  if (q.linkId) {
    let l = db.selectFrom('links').select('id').where('id', '=', q.linkId);
    if (creator) l = l.where('creator_id', '=', creator);
    const found = none ? undefined : await l.where('program_id', 'in', ids).executeTakeFirst();
    if (!found) throw missing('linkId', 'Link');
  }
  if (q.codeId) {
    let c = db.selectFrom('codes').select('id').where('id', '=', q.codeId);
    if (creator) c = c.where('creator_id', '=', creator);
    const found = none ? undefined : await c.where('program_id', 'in', ids).executeTakeFirst();
    if (!found) throw missing('codeId', 'Code');
  }
  if (q.productId) {
    const found = none
      ? undefined
      : await db
          .selectFrom('products')
          .select('id')
          .where('id', '=', q.productId)
          .where('program_id', 'in', ids)
          .executeTakeFirst();
    if (!found) throw missing('productId', 'Product');
  }
  if (q.contentId) {
    // A video is in scope when one of its creator's enrollments is.
    let c = db
      .selectFrom('contents')
      .innerJoin('enrollments', 'enrollments.creator_id', 'contents.creator_id')
      .select('contents.id')
      .where('contents.id', '=', q.contentId);
    if (creator) c = c.where('contents.creator_id', '=', creator);
    const found = none ? undefined : await c.where('enrollments.program_id', 'in', ids).executeTakeFirst();
    if (!found) throw missing('contentId', 'Content');
  }
}
