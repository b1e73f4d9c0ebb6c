import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { AppError, forbidden, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';
import * as repo from './repository.js';
import type { Content, CreateContentInput } from './schemas.js';

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
    const deleted = await db.transaction().execute((tx) => repo.deleteContent(tx, creatorId, id));
    if (!deleted) throw notFound('Content');
  }

  return { create, get, list, remove };
}

export type ContentsService = ReturnType<typeof contentsService>;
