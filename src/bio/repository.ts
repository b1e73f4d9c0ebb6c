import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { BioPagesTable } from '../db/schema.js';
import type { Rate } from '../programs/schemas.js';
import type { BioTheme } from './schemas.js';

export interface BioPageRow {
  creatorId: string;
  handle: string;
  title: string;
  bio: string | null;
  avatarUrl: string | null;
  theme: BioTheme | null;
  language: BioPagesTable['language'];
  createdAt: string;
  updatedAt: string;
}

/** A link of a creator as the bio page needs it: the link, its program and the watch's last look. */
export interface BioLinkRow {
  linkId: string;
  label: string;
  slug: string;
  destinationUrl: string;
  programId: string;
  contentId: string | null;
  status: 'enabled' | 'disabled' | 'deleted';
  expiresAt: string | null;
  programActive: boolean;
  allowedDomains: string[];
  checkedAt: string | null;
  httpStatus: number | null;
  broken: boolean;
}

export interface PageCode {
  id: string;
  programId: string;
  contentId: string | null;
  code: string;
  discount: Rate;
  currency: string;
}

function toPage(row: BioPagesTable): BioPageRow {
  return {
    creatorId: row.creator_id,
    handle: row.handle,
    title: row.title,
    bio: row.bio,
    avatarUrl: row.avatar_url,
    theme: row.theme ? (JSON.parse(row.theme) as BioTheme) : null,
    language: row.language,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function findPageByCreator(db: DbOrTx, creatorId: string): Promise<BioPageRow | undefined> {
  const row = await db.selectFrom('bio_pages').selectAll().where('creator_id', '=', creatorId).executeTakeFirst();
  return row ? toPage(row) : undefined;
}

export async function findPageByHandle(db: DbOrTx, handle: string): Promise<BioPageRow | undefined> {
  const row = await db.selectFrom('bio_pages').selectAll().where('handle', '=', handle).executeTakeFirst();
  return row ? toPage(row) : undefined;
}

/** Whether another creator's page has this handle. */
export async function handleTaken(db: DbOrTx, handle: string, creatorId: string): Promise<boolean> {
  const row = await db
    .selectFrom('bio_pages')
    .select('creator_id')
    .where('handle', '=', handle)
    .where('creator_id', '!=', creatorId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The creator's own links among the ids given, not deleted: the ones a page may list. */
export async function ownLinkIds(db: DbOrTx, creatorId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('links')
    .select('id')
    .where('creator_id', '=', creatorId)
    .where('status', '!=', 'deleted')
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Writes the page and replaces its links, in the order given. Run inside a transaction. */
export async function savePage(
  tx: DbOrTx,
  page: BioPageRow,
  links: { linkId: string; label: string }[],
  isNew: boolean,
): Promise<void> {
  const columns = {
    handle: page.handle,
    title: page.title,
    bio: page.bio,
    avatar_url: page.avatarUrl,
    theme: page.theme ? JSON.stringify(page.theme) : null,
    language: page.language,
    updated_at: page.updatedAt,
  };
  if (isNew) {
    await tx
      .insertInto('bio_pages')
      .values({ creator_id: page.creatorId, created_at: page.createdAt, ...columns })
      .execute();
  } else {
    await tx.updateTable('bio_pages').set(columns).where('creator_id', '=', page.creatorId).execute();
  }
  await tx.deleteFrom('bio_links').where('creator_id', '=', page.creatorId).execute();
  if (links.length > 0) {
    await tx
      .insertInto('bio_links')
      .values(links.map((l, i) => ({ creator_id: page.creatorId, position: i, link_id: l.linkId, label: l.label })))
      .execute();
  }
}

const linkColumns = [
  'links.id as link_id',
  'links.slug',
  'links.destination_url',
  'links.program_id',
  'links.content_id',
  'links.status',
  'links.expires_at',
  'programs.status as program_status',
  'programs.allowed_domains',
  'link_checks.checked_at',
  'link_checks.http_status',
  'link_checks.broken',
] as const;

function toLink(r: {
  link_id: string;
  label: string;
  slug: string;
  destination_url: string;
  program_id: string;
  content_id: string | null;
  status: 'enabled' | 'disabled' | 'deleted';
  expires_at: string | null;
  program_status: 'active' | 'archived';
  allowed_domains: string;
  checked_at: string | null;
  http_status: number | null;
  broken: number | null;
}): BioLinkRow {
  return {
    linkId: r.link_id,
    label: r.label,
    slug: r.slug,
    destinationUrl: r.destination_url,
    programId: r.program_id,
    contentId: r.content_id,
    status: r.status,
    expiresAt: r.expires_at,
    programActive: r.program_status === 'active',
    allowedDomains: JSON.parse(r.allowed_domains) as string[],
    checkedAt: r.checked_at,
    httpStatus: r.http_status,
    broken: r.broken === 1,
  };
}

/** The page's links in their order, whatever their state. */
export async function pageLinks(db: DbOrTx, creatorId: string): Promise<BioLinkRow[]> {
  const rows = await db
    .selectFrom('bio_links')
    .innerJoin('links', 'links.id', 'bio_links.link_id')
    .innerJoin('programs', 'programs.id', 'links.program_id')
    .leftJoin('link_checks', 'link_checks.link_id', 'links.id')
    .select([...linkColumns, 'bio_links.label'])
    .where('bio_links.creator_id', '=', creatorId)
    .orderBy('bio_links.position', 'asc')
    .execute();
  return rows.map(toLink);
}

/**
 * The creator's links made for one video, not deleted, oldest first; a link that is also on the
 * page keeps its label there, others are labelled by the caller.
 */
export async function videoLinks(db: DbOrTx, creatorId: string, contentId: string): Promise<BioLinkRow[]> {
  const rows = await db
    .selectFrom('links')
    .innerJoin('programs', 'programs.id', 'links.program_id')
    .leftJoin('link_checks', 'link_checks.link_id', 'links.id')
    .leftJoin('bio_links', (j) =>
      j.onRef('bio_links.link_id', '=', 'links.id').on('bio_links.creator_id', '=', creatorId),
    )
    .select([...linkColumns, sql<string>`coalesce(bio_links.label, '')`.as('label')])
    .where('links.creator_id', '=', creatorId)
    .where('links.content_id', '=', contentId)
    .where('links.status', '!=', 'deleted')
    .orderBy('links.id', 'asc')
    .limit(50)
    .execute();
  return rows.map(toLink);
}

/** Whether a video or post of this creator exists. */
export async function contentOfCreator(db: DbOrTx, creatorId: string, contentId: string) {
  return db
    .selectFrom('contents')
    .select(['id', 'title', 'platform'])
    .where('id', '=', contentId)
    .where('creator_id', '=', creatorId)
    .executeTakeFirst();
}

/** The creator's codes that give a discount at this moment in the given programs. */
export async function activeCodes(
  db: DbOrTx,
  creatorId: string,
  programIds: string[],
  at: string,
): Promise<PageCode[]> {
  if (programIds.length === 0) return [];
  const rows = await db
    .selectFrom('codes')
    .innerJoin('programs', 'programs.id', 'codes.program_id')
    .select(['codes.id', 'codes.program_id', 'codes.content_id', 'codes.code', 'codes.discount', 'programs.currency'])
    .where('codes.creator_id', '=', creatorId)
    .where('codes.program_id', 'in', programIds)
    .where('codes.status', '=', 'active')
    .where('codes.active_from', '<=', at)
    .where((eb) => eb.or([eb('codes.active_until', 'is', null), eb('codes.active_until', '>', at)]))
    .orderBy('codes.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    programId: r.program_id,
    contentId: r.content_id,
    code: r.code,
    discount: JSON.parse(r.discount) as Rate,
    currency: r.currency,
  }));
}

/** Whether the code is the creator's and active. */
export async function activeCodeOf(db: DbOrTx, creatorId: string, codeId: string): Promise<boolean> {
  const row = await db
    .selectFrom('codes')
    .select('id')
    .where('id', '=', codeId)
    .where('creator_id', '=', creatorId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row !== undefined;
}

/** Counts one copy of a code on the day given. */
export async function countCopy(db: DbOrTx, codeId: string, day: string): Promise<void> {
  await db
    .insertInto('bio_code_copies')
    .values({ code_id: codeId, day, copies: 1 })
    .onConflict((oc) => oc.columns(['code_id', 'day']).doUpdateSet({ copies: sql`bio_code_copies.copies + 1` }))
    .execute();
}

/** Copies per code of the creator, over all days. */
export async function copiesOf(db: DbOrTx, creatorId: string) {
  const rows = await db
    .selectFrom('bio_code_copies')
    .innerJoin('codes', 'codes.id', 'bio_code_copies.code_id')
    .select(['codes.id', 'codes.code', sql<string | number>`sum(bio_code_copies.copies)`.as('copies')])
    .where('codes.creator_id', '=', creatorId)
    .groupBy(['codes.id', 'codes.code'])
    .orderBy('codes.id', 'asc')
    .execute();
  return rows.map((r) => ({ codeId: r.id, code: r.code, copies: Number(r.copies) }));
}

/** Links on some bio page, live, whose destination was last checked before `before` (or never). */
export async function linksDueForCheck(db: DbOrTx, before: string, limit: number) {
  return db
    .selectFrom('links')
    .innerJoin('programs', 'programs.id', 'links.program_id')
    .leftJoin('link_checks', 'link_checks.link_id', 'links.id')
    .select(['links.id', 'links.destination_url'])
    .where('links.status', '=', 'enabled')
    .where('programs.status', '=', 'active')
    .where((eb) =>
      eb.exists(eb.selectFrom('bio_links').select('bio_links.link_id').whereRef('bio_links.link_id', '=', 'links.id')),
    )
    .where((eb) => eb.or([eb('link_checks.checked_at', 'is', null), eb('link_checks.checked_at', '<', before)]))
    .orderBy('links.id', 'asc')
    .limit(limit)
    .execute();
}

export async function saveCheck(
  db: DbOrTx,
  check: { linkId: string; checkedAt: string; httpStatus: number | null; broken: boolean; detail: string | null },
): Promise<void> {
  const values = {
    checked_at: check.checkedAt,
    http_status: check.httpStatus,
    broken: check.broken ? 1 : 0,
    detail: check.detail,
  };
  await db
    .insertInto('link_checks')
    .values({ link_id: check.linkId, ...values })
    .onConflict((oc) => oc.column('link_id').doUpdateSet(values))
    .execute();
}
