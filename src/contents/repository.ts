import type { Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import type { ContentsTable } from '../db/schema.js';
import type { Content } from './schemas.js';

/**
 * Who asks: a creator sees its own content; a brand, that of creators who applied to or take part
 * in its programs. A creator the brand only invited, or who declined or was turned down, stays
 * private: an invitation by email must not reveal a stranger's posts.
 */
export type ContentViewer = { creatorId: string } | { workspaceId: string };

const toContent = (r: Selectable<ContentsTable>): Content => ({
  id: r.id,
  creatorId: r.creator_id,
  platform: r.platform,
  url: r.url,
  title: r.title,
  postedAt: r.posted_at,
  createdAt: r.created_at,
});

function visible(db: DbOrTx, viewer: ContentViewer) {
  const q = db.selectFrom('contents').selectAll('contents');
  if ('creatorId' in viewer) return q.where('contents.creator_id', '=', viewer.creatorId);
  return q.where('contents.creator_id', 'in', (eb) =>
    eb
      .selectFrom('enrollments')
      .select('creator_id')
      .where('workspace_id', '=', viewer.workspaceId)
      .where('status', 'in', ['applied', 'approved', 'suspended']),
  );
}

const toColumns = (c: Content) => ({
  id: c.id,
  creator_id: c.creatorId,
  platform: c.platform,
  url: c.url,
  title: c.title,
  posted_at: c.postedAt,
  created_at: c.createdAt,
});

export async function insertContent(db: DbOrTx, c: Content): Promise<void> {
  await db.insertInto('contents').values(toColumns(c)).execute();
}

/** Many contents at once (the demo's), in statements of at most 200 rows. */
export async function insertContents(db: DbOrTx, contents: readonly Content[]): Promise<void> {
  for (let i = 0; i < contents.length; i += 200) {
    await db
      .insertInto('contents')
      .values(contents.slice(i, i + 200).map(toColumns))
      .execute();
  }
}

export async function findContent(db: DbOrTx, viewer: ContentViewer, id: string): Promise<Content | undefined> {
  const row = await visible(db, viewer).where('contents.id', '=', id).executeTakeFirst();
  return row ? toContent(row) : undefined;
}

export async function contentVisible(db: DbOrTx, viewer: ContentViewer, id: string): Promise<boolean> {
  return (await findContent(db, viewer, id)) !== undefined;
}

export async function contentUrlTaken(db: DbOrTx, creatorId: string, url: string): Promise<boolean> {
  const row = await db
    .selectFrom('contents')
    .select('id')
    .where('creator_id', '=', creatorId)
    .where('url', '=', url)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listContents(
  db: DbOrTx,
  viewer: ContentViewer,
  opts: { limit: number; before?: string | undefined; creatorId?: string | undefined; platform?: string | undefined },
): Promise<Content[]> {
  let q = visible(db, viewer);
  if (opts.before) q = q.where('contents.id', '<', opts.before);
  if (opts.creatorId) q = q.where('contents.creator_id', '=', opts.creatorId);
  if (opts.platform) q = q.where('contents.platform', '=', opts.platform as ContentsTable['platform']);
  const rows = await q.orderBy('contents.id', 'desc').limit(opts.limit).execute();
  return rows.map(toContent);
}

export async function deleteContent(db: DbOrTx, creatorId: string, id: string): Promise<boolean> {
  // Links to it keep working: their content becomes unknown.
  await db.updateTable('links').set({ content_id: null }).where('content_id', '=', id).execute();
  const res = await db
    .deleteFrom('contents')
    .where('id', '=', id)
    .where('creator_id', '=', creatorId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
