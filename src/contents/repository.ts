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

export interface ViewCount {
  contentId: string;
  at: string;
  views: number;
}

/**
 * Writes view counts; a second count at the same time replaces the first. Each count keeps what it
 * adds to the count before it, and the count after it is told again, so that the views of any
 * period are a sum. Call it inside a transaction.
 */
export async function upsertViews(db: DbOrTx, counts: ViewCount[], recordedBy: string, recordedAt: string) {
  const sorted = [...counts].sort((a, b) =>
    a.contentId === b.contentId ? (a.at < b.at ? -1 : 1) : a.contentId < b.contentId ? -1 : 1,
  );
  for (const c of sorted) {
    const before = await db
      .selectFrom('content_views')
      .select('views')
      .where('content_id', '=', c.contentId)
      .where('at', '<', c.at)
      .orderBy('at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const gained = c.views - Number(before?.views ?? 0);
    await db
      .insertInto('content_views')
      .values({
        content_id: c.contentId,
        at: c.at,
        views: c.views,
        gained,
        recorded_by: recordedBy,
        recorded_at: recordedAt,
      })
      .onConflict((oc) =>
        oc.columns(['content_id', 'at']).doUpdateSet({
          views: c.views,
          gained,
          recorded_by: recordedBy,
          recorded_at: recordedAt,
        }),
      )
      .execute();
    const after = await db
      .selectFrom('content_views')
      .select(['at', 'views'])
      .where('content_id', '=', c.contentId)
      .where('at', '>', c.at)
      .orderBy('at')
      .limit(1)
      .executeTakeFirst();
    if (after) {
      await db
        .updateTable('content_views')
        .set({ gained: Number(after.views) - c.views })
        .where('content_id', '=', c.contentId)
        .where('at', '=', after.at)
        .execute();
    }
  }
}

export async function listViews(
  db: DbOrTx,
  contentId: string,
  opts: { from?: string | undefined; to?: string | undefined; limit: number },
): Promise<ViewCount[]> {
  let q = db.selectFrom('content_views').select(['content_id', 'at', 'views']).where('content_id', '=', contentId);
  if (opts.from) q = q.where('at', '>=', opts.from);
  if (opts.to) q = q.where('at', '<', opts.to);
  const rows = await q.orderBy('at').limit(opts.limit).execute();
  return rows.map((r) => ({ contentId: r.content_id, at: r.at, views: Number(r.views) }));
}

/** Which of these ids name contents (any creator's): for imports by the operator. */
export async function existingContents(db: DbOrTx, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('contents')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}
