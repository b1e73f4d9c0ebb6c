import type { Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { LinksTable } from '../db/schema.js';
import { hostVerified } from '../domains/repository.js';
import { hostAllowed } from '../shared/domains.js';
import type { Utm } from './destination.js';

/** Who may see a link: a brand sees its workspace's links, a creator its own. */
export type LinkOwner = { workspaceId: string } | { creatorId: string };

export interface LinkRow {
  id: string;
  workspaceId: string;
  programId: string;
  creatorId: string;
  slug: string;
  destinationUrl: string;
  contentId: string | null;
  placement: LinksTable['placement'];
  utm: Utm | null;
  status: 'enabled' | 'disabled' | 'deleted';
  expiresAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export function toLinkRow(row: Selectable<LinksTable>): LinkRow {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    programId: row.program_id,
    creatorId: row.creator_id,
    slug: row.slug,
    destinationUrl: row.destination_url,
    contentId: row.content_id,
    placement: row.placement,
    utm: row.utm ? (JSON.parse(row.utm) as Utm) : null,
    status: row.status,
    expiresAt: row.expires_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toColumns(l: LinkRow) {
  return {
    id: l.id,
    workspace_id: l.workspaceId,
    program_id: l.programId,
    creator_id: l.creatorId,
    slug: l.slug,
    destination_url: l.destinationUrl,
    content_id: l.contentId,
    placement: l.placement,
    utm: l.utm ? JSON.stringify(l.utm) : null,
    status: l.status,
    expires_at: l.expiresAt,
    created_by: l.createdBy,
    created_at: l.createdAt,
    updated_at: l.updatedAt,
  };
}

function ownerColumn(owner: LinkOwner): ['links.workspace_id' | 'links.creator_id', string] {
  return 'workspaceId' in owner ? ['links.workspace_id', owner.workspaceId] : ['links.creator_id', owner.creatorId];
}

/** Inserts a link unless its slug is taken; false when it is (nothing written). */
export async function insertLinkIfFree(db: DbOrTx, link: LinkRow): Promise<boolean> {
  const res = await db
    .insertInto('links')
    .values(toColumns(link))
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Many links at once (the demo's), in statements of at most 200 rows. */
export async function insertLinks(db: DbOrTx, links: readonly LinkRow[]): Promise<void> {
  for (let i = 0; i < links.length; i += 200) {
    await db
      .insertInto('links')
      .values(links.slice(i, i + 200).map(toColumns))
      .execute();
  }
}

export async function findLink(db: DbOrTx, owner: LinkOwner, id: string): Promise<LinkRow | undefined> {
  const [column, value] = ownerColumn(owner);
  const row = await db
    .selectFrom('links')
    .selectAll()
    .where('links.id', '=', id)
    .where(column, '=', value)
    .where('links.status', '!=', 'deleted')
    .executeTakeFirst();
  return row ? toLinkRow(row) : undefined;
}

export async function linkVisible(db: DbOrTx, owner: LinkOwner, id: string): Promise<boolean> {
  return (await findLink(db, owner, id)) !== undefined;
}

export async function listLinks(
  db: DbOrTx,
  owner: LinkOwner,
  opts: {
    limit: number;
    before?: string | undefined;
    programId?: string | undefined;
    creatorId?: string | undefined;
    contentId?: string | undefined;
  },
): Promise<LinkRow[]> {
  const [column, value] = ownerColumn(owner);
  let q = db
    .selectFrom('links')
    .selectAll()
    .where(column, '=', value)
    .where('links.status', '!=', 'deleted')
    .orderBy('links.id', 'desc')
    .limit(opts.limit);
  if (opts.before) q = q.where('links.id', '<', opts.before);
  if (opts.programId) q = q.where('links.program_id', '=', opts.programId);
  if (opts.creatorId) q = q.where('links.creator_id', '=', opts.creatorId);
  if (opts.contentId) q = q.where('links.content_id', '=', opts.contentId);
  return (await q.execute()).map(toLinkRow);
}

export async function saveLink(db: DbOrTx, link: LinkRow): Promise<void> {
  const { id, workspace_id, created_at, slug, ...rest } = toColumns(link);
  await db.updateTable('links').set(rest).where('id', '=', id).where('workspace_id', '=', workspace_id).execute();
}

export async function insertDestinationChange(
  db: DbOrTx,
  change: { id: string; linkId: string; destinationUrl: string; changedBy: string; changedAt: string },
): Promise<void> {
  await db
    .insertInto('link_destinations')
    .values({
      id: change.id,
      link_id: change.linkId,
      destination_url: change.destinationUrl,
      changed_by: change.changedBy,
      changed_at: change.changedAt,
    })
    .execute();
}

/** The first destination of each of many new links, in statements of at most 200 rows. */
export async function insertDestinationChanges(
  db: DbOrTx,
  changes: readonly { id: string; linkId: string; destinationUrl: string; changedBy: string; changedAt: string }[],
): Promise<void> {
  for (let i = 0; i < changes.length; i += 200) {
    await db
      .insertInto('link_destinations')
      .values(
        changes.slice(i, i + 200).map((c) => ({
          id: c.id,
          link_id: c.linkId,
          destination_url: c.destinationUrl,
          changed_by: c.changedBy,
          changed_at: c.changedAt,
        })),
      )
      .execute();
  }
}

export async function destinationHistory(db: DbOrTx, linkId: string) {
  const rows = await db
    .selectFrom('link_destinations')
    .selectAll()
    .where('link_id', '=', linkId)
    .orderBy('id', 'asc')
    .execute();
  return rows.map((r) => ({ destinationUrl: r.destination_url, changedAt: r.changed_at, changedBy: r.changed_by }));
}

/** What the redirect needs to know about a slug, read in one query. */
export interface RedirectTarget {
  id: string;
  programId: string;
  creatorId: string;
  contentId: string | null;
  placement: LinksTable['placement'];
  destinationUrl: string;
  utm: Utm | null;
  status: 'enabled' | 'disabled' | 'deleted';
  expiresAt: string | null;
  programActive: boolean;
  /**
   * Whether the destination's host is still one of the program's allowed domains. A program may
   * drop a domain after links to it were made (the domain sold, say): those links then answer
   * 410 instead of sending visitors to a host the brand no longer vouches for.
   */
  destinationAllowed: boolean;
}

/**
 * A link's redirect target. With `domainProof`, a destination is allowed only on a domain its
 * workspace has proved control of (see src/domains/).
 */
export async function findRedirectTarget(
  db: DbOrTx,
  slug: string,
  domainProof = false,
): Promise<RedirectTarget | undefined> {
  const row = await db
    .selectFrom('links')
    .innerJoin('programs', 'programs.id', 'links.program_id')
    .select([
      'links.id',
      'links.workspace_id',
      'links.program_id',
      'links.creator_id',
      'links.content_id',
      'links.placement',
      'links.destination_url',
      'links.utm',
      'links.status',
      'links.expires_at',
      'programs.utm_defaults',
      'programs.allowed_domains',
      'programs.status as program_status',
    ])
    .where('links.slug', '=', slug)
    .executeTakeFirst();
  if (!row) return undefined;
  const linkUtm = row.utm ? (JSON.parse(row.utm) as Utm) : null;
  const programUtm = row.utm_defaults ? (JSON.parse(row.utm_defaults) as Utm) : null;
  const host = new URL(row.destination_url).hostname;
  let destinationAllowed = hostAllowed(host, JSON.parse(row.allowed_domains) as string[]);
  if (destinationAllowed && domainProof) destinationAllowed = await hostVerified(db, row.workspace_id, host);
  return {
    id: row.id,
    programId: row.program_id,
    creatorId: row.creator_id,
    contentId: row.content_id,
    placement: row.placement,
    destinationUrl: row.destination_url,
    utm: linkUtm || programUtm ? { ...programUtm, ...linkUtm } : null,
    status: row.status,
    expiresAt: row.expires_at,
    programActive: row.program_status === 'active',
    destinationAllowed,
  };
}
