import { rollingViews } from '../analytics/view-rollups.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { AppError, forbidden, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';
import * as repo from './repository.js';
import type { Content, CreateContentInput, RecordViewsInput } from './schemas.js';

/** The hosts a platform's posts live on (and their subdomains, such as www. and m.). */
const platformHosts: Record<CreateContentInput['platform'], readonly string[] | null> = {
  tiktok: ['tiktok.com'],
  instagram: ['instagram.com'],
  youtube: ['youtube.com', 'youtu.be'],
  other: null,
};

export function viewerOf(principal: Principal): repo.ContentViewer {
  if (principal.creatorId && !principal.workspace) return { creatorId: principal.creatorId };
  if (principal.workspace) return { workspaceId: principal.workspace.id };
  throw forbidden('Content belongs to a creator account');
}

/** Checks a post's address: https, no credentials, on the platform's own hosts. */
function contentUrlProblem(platform: CreateContentInput['platform'], input: string): string | undefined {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:') return 'use an https address';
  if (url.username || url.password) return 'an address with credentials is not accepted';
  const hosts = platformHosts[platform];
  if (!hosts) return undefined;
  const host = url.hostname.toLowerCase();
  if (!hosts.some((h) => host === h || host.endsWith(`.${h}`))) {
    return `a ${platform} post lives on ${hosts.join(' or ')}`;
  }
  return undefined;
}

export function contentsService({ db, clock }: { db: Db; clock: Clock }) {
  function creatorOf(principal: Principal): string {
    if (!principal.creatorId || principal.workspace) throw forbidden('Only a creator adds its own content');
    return principal.creatorId;
  }

  async function create(principal: Principal, input: CreateContentInput): Promise<Content> {
    const creatorId = creatorOf(principal);
    const problem = contentUrlProblem(input.platform, input.url);
    if (problem) {
      throw new AppError('INVALID_CONTENT', `The content's address is refused: ${problem}`, [
        { path: 'body.url', message: problem },
      ]);
    }
    const url = new URL(input.url).toString();
    if (await repo.contentUrlTaken(db, creatorId, url)) {
      throw new AppError('CONTENT_EXISTS', 'This video or post is already registered');
    }
    const content: Content = {
      id: newId('content'),
      creatorId,
      platform: input.platform,
      url,
      title: input.title ?? null,
      postedAt: input.postedAt ? new Date(input.postedAt).toISOString() : null,
      createdAt: clock.now().toISOString(),
    };
    await repo.insertContent(db, content);
    return content;
  }

  async function get(principal: Principal, id: string): Promise<Content> {
    const found = await repo.findContent(db, viewerOf(principal), id);
    if (!found) throw notFound('Content');
    return found;
  }

  async function list(principal: Principal, opts: Parameters<typeof repo.listContents>[2]) {
    return repo.listContents(db, viewerOf(principal), opts);
  }

  async function remove(principal: Principal, id: string): Promise<void> {
    const creatorId = creatorOf(principal);
    const deleted = await db
      .transaction()
      .execute((tx) => rollingViews(tx, [id], () => repo.deleteContent(tx, creatorId, id)));
    if (!deleted) throw notFound('Content');
  }

  /** Parses a time given with a view count: ISO 8601, not in the future. */
  function countTime(given: string | undefined, path: string): string {
    const now = clock.now();
    if (given === undefined) return now.toISOString();
    const at = new Date(given);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(given) || Number.isNaN(at.getTime())) {
      throw new AppError('VALIDATION_FAILED', 'A view count needs an ISO 8601 time', [
        { path, message: 'an ISO 8601 time, such as 2026-11-28T09:30:00Z' },
      ]);
    }
    if (at.getTime() > now.getTime() + 5 * 60_000) {
      throw new AppError('VALIDATION_FAILED', 'A view count cannot be from the future', [
        { path, message: 'not in the future' },
      ]);
    }
    return at.toISOString();
  }

  /** Who may tell a video's views: its creator, or a manager of a brand whose programs it is in. */
  function writerOf(principal: Principal): repo.ContentViewer {
    if (principal.workspace && principal.workspace.role === 'viewer') {
      throw forbidden('This needs the manager role; you are viewer');
    }
    return viewerOf(principal);
  }

  async function recordViews(principal: Principal, id: string, input: RecordViewsInput): Promise<repo.ViewCount> {
    const at = countTime(input.at, 'body.at');
    if (!(await repo.contentVisible(db, writerOf(principal), id))) throw notFound('Content');
    const count = { contentId: id, at, views: input.views };
    await db
      .transaction()
      .execute((tx) =>
        rollingViews(tx, [id], () => repo.upsertViews(tx, [count], principal.credentialId, clock.now().toISOString())),
      );
    return count;
  }

  async function views(principal: Principal, id: string, opts: Parameters<typeof repo.listViews>[2]) {
    if (!(await repo.contentVisible(db, viewerOf(principal), id))) throw notFound('Content');
    return repo.listViews(db, id, opts);
  }

  /**
   * Imports many contents' view counts (the operator's command line): every row is checked
   * first, and with any bad row nothing is written. Rows are `{contentId, at, views}` as text.
   */
  async function importViews(
    rows: { contentId?: string; at?: string; views?: string }[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ imported: number }> {
    const problems: { path: string; message: string }[] = [];
    const counts: repo.ViewCount[] = [];
    rows.forEach((r, i) => {
      const line = i + 2; // after the header
      const views = Number(r.views);
      if (!r.contentId) problems.push({ path: `line ${line}.contentId`, message: 'missing' });
      if (!/^\d+$/.test(r.views ?? '') || !Number.isSafeInteger(views)) {
        problems.push({ path: `line ${line}.views`, message: 'a whole number of views' });
      }
      let at = '';
      try {
        at = countTime(r.at || undefined, `line ${line}.at`);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        problems.push(...(err.fields ?? []));
      }
      if (r.contentId && at) counts.push({ contentId: r.contentId, at, views });
    });
    const known = await repo.existingContents(db, [...new Set(counts.map((c) => c.contentId))]);
    rows.forEach((r, i) => {
      if (r.contentId && !known.has(r.contentId)) {
        problems.push({ path: `line ${i + 2}.contentId`, message: `no content ${r.contentId}` });
      }
    });
    if (problems.length > 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        `${problems.length} problem(s) in the file; nothing was imported. First: ${problems[0]?.path}: ${problems[0]?.message}`,
        problems.slice(0, 100),
      );
    }
    const recordedAt = clock.now().toISOString();
    await db.transaction().execute(async (tx) => {
      for (let i = 0; i < counts.length; i += 1000) {
        const slice = counts.slice(i, i + 1000);
        await rollingViews(
          tx,
          slice.map((c) => c.contentId),
          () => repo.upsertViews(tx, slice, 'import', recordedAt),
        );
        onProgress?.(Math.min(i + 1000, counts.length), counts.length);
      }
    });
    return { imported: counts.length };
  }

  return { create, get, list, remove, recordViews, views, importViews };
}

export type ContentsService = ReturnType<typeof contentsService>;
