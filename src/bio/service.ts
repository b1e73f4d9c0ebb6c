import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { utcDay } from '../shared/days.js';
import { hostAllowed } from '../shared/domains.js';
import { AppError, forbidden, notFound } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import { inAppBrowser, languageOf, type PageLanguage } from './messages.js';
import { type RenderedLink, renderPage } from './render.js';
import * as repo from './repository.js';
import { type BioPage, HANDLE_PATTERN, type PutBioInput } from './schemas.js';

export interface Visit {
  acceptLanguage: string | undefined;
  userAgent: string | undefined;
}

export interface RenderedPage {
  html: string;
  csp: string;
  language: PageLanguage;
}

/** Whether a link takes visitors anywhere: the redirect answers 410 for the others, so the page leaves them out. */
function live(l: repo.BioLinkRow, now: Date): boolean {
  if (l.status !== 'enabled' || !l.programActive) return false;
  if (l.expiresAt !== null && Date.parse(l.expiresAt) <= now.getTime()) return false;
  return hostAllowed(new URL(l.destinationUrl).hostname, l.allowedDomains);
}

/** A label for a video's link that is not on the page: the destination's address, shortened. */
function labelOfDestination(destination: string): string {
  const url = new URL(destination);
  const text = url.hostname.replace(/^www\./, '') + (url.pathname === '/' ? '' : url.pathname);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** The code shown beside a link: the creator's code for the link's video, else its program-wide code. */
function codeFor(link: repo.BioLinkRow, codes: repo.PageCode[]): repo.PageCode | undefined {
  const inProgram = codes.filter((c) => c.programId === link.programId);
  return (
    (link.contentId ? inProgram.find((c) => c.contentId === link.contentId) : undefined) ??
    inProgram.find((c) => c.contentId === null)
  );
}

function avatarProblem(input: string): string | undefined {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:') return 'use an https address';
  if (url.username || url.password) return 'an address with credentials is not accepted';
  return undefined;
}

/** How long a rendered page is served again as it is: a changed link or code shows within this time. */
export const PAGE_CACHE_MS = 30_000;
const PAGE_CACHE_PAGES = 5_000;

/**
 * Rendered pages, by handle and then by variant (video, language, in-app browser): a page is
 * rendered once per variant and served again until it is saved (on this instance at once, on
 * others within PAGE_CACHE_MS) or its time is up. Handles without a page are kept too, so that a
 * stream of made-up handles does not reach the database on every request.
 */
class PageCache {
  private readonly pages = new Map<string, Map<string, { page: RenderedPage | undefined; until: number }>>();

  get(handle: string, variant: string, now: number): { page: RenderedPage | undefined } | undefined {
    const hit = this.pages.get(handle)?.get(variant);
    return hit && hit.until > now ? hit : undefined;
  }

  set(handle: string, variant: string, page: RenderedPage | undefined, now: number): void {
    let variants = this.pages.get(handle);
    if (!variants) {
      if (this.pages.size >= PAGE_CACHE_PAGES) {
        const oldest = this.pages.keys().next().value;
        if (oldest !== undefined) this.pages.delete(oldest);
      }
      variants = new Map();
      this.pages.set(handle, variants);
    }
    variants.set(variant, { page, until: now + PAGE_CACHE_MS });
  }

  forget(handle: string): void {
    this.pages.delete(handle);
  }
}

export function bioService({ db, clock, publicUrl }: { db: Db; clock: Clock; publicUrl: string }) {
  const base = publicUrl.replace(/\/$/, '');
  const cache = new PageCache();

  function creatorOf(principal: Principal): string {
    if (!principal.creatorId || principal.workspace) throw forbidden('Only a creator has a bio page');
    return principal.creatorId;
  }

  async function view(creatorId: string): Promise<BioPage | undefined> {
    const page = await repo.findPageByCreator(db, creatorId);
    if (!page) return undefined;
    const now = clock.now();
    const links = await repo.pageLinks(db, creatorId);
    return {
      creatorId,
      handle: page.handle,
      url: `${base}/@${page.handle}`,
      title: page.title,
      bio: page.bio,
      avatarUrl: page.avatarUrl,
      theme: page.theme,
      language: page.language,
      links: links.map((l) => ({
        linkId: l.linkId,
        label: l.label,
        slug: l.slug,
        shortUrl: `${base}/${l.slug}`,
        destinationUrl: l.destinationUrl,
        programId: l.programId,
        contentId: l.contentId,
        live: live(l, now),
        destinationCheck: l.checkedAt ? { checkedAt: l.checkedAt, httpStatus: l.httpStatus, broken: l.broken } : null,
      })),
      codeCopies: await repo.copiesOf(db, creatorId),
      createdAt: page.createdAt,
      updatedAt: page.updatedAt,
    };
  }

  async function mine(principal: Principal): Promise<BioPage> {
    const page = await view(creatorOf(principal));
    if (!page) throw notFound('Bio page');
    return page;
  }

  async function put(principal: Principal, input: PutBioInput): Promise<{ page: BioPage; created: boolean }> {
    const creatorId = creatorOf(principal);
    const fields: { path: string; message: string }[] = [];
    if (input.avatarUrl) {
      const problem = avatarProblem(input.avatarUrl);
      if (problem) fields.push({ path: 'body.avatarUrl', message: problem });
    }
    const seen = new Set<string>();
    input.links.forEach((l, i) => {
      if (seen.has(l.linkId))
        fields.push({ path: `body.links.${i}.linkId`, message: 'this link is already on the page' });
      seen.add(l.linkId);
    });
    if (fields.length > 0) throw new AppError('VALIDATION_FAILED', 'The bio page is not valid', fields);

    const at = clock.now().toISOString();
    const created = await db.transaction().execute(async (tx) => {
      if (await repo.handleTaken(tx, input.handle, creatorId)) {
        throw new AppError('HANDLE_TAKEN', `@${input.handle} is another creator's page`, [
          { path: 'body.handle', message: 'taken' },
        ]);
      }
      const own = await repo.ownLinkIds(
        tx,
        creatorId,
        input.links.map((l) => l.linkId),
      );
      const unknown = input.links.flatMap((l, i) =>
        own.has(l.linkId) ? [] : [{ path: `body.links.${i}.linkId`, message: 'not one of your links' }],
      );
      if (unknown.length > 0) {
        throw new AppError('BIO_LINK_UNKNOWN', 'A bio page lists only your own links that are not deleted', unknown);
      }
      const existing = await repo.findPageByCreator(tx, creatorId);
      await repo.savePage(
        tx,
        {
          creatorId,
          handle: input.handle,
          title: input.title,
          bio: input.bio ?? null,
          avatarUrl: input.avatarUrl ? new URL(input.avatarUrl).toString() : null,
          theme: input.theme ?? null,
          language: input.language ?? existing?.language ?? 'auto',
          createdAt: existing?.createdAt ?? at,
          updatedAt: at,
        },
        input.links,
        existing === undefined,
      );
      if (existing) cache.forget(existing.handle);
      return existing === undefined;
    });
    cache.forget(input.handle);
    const page = await view(creatorId);
    if (!page) throw new Error('the bio page just saved could not be read');
    return { page, created };
  }

  /** The public page, or undefined when there is none (or no such video of the creator). */
  async function render(
    handle: string,
    contentId: string | undefined,
    visit: Visit,
  ): Promise<RenderedPage | undefined> {
    if (!HANDLE_PATTERN.test(handle) || (contentId !== undefined && contentId.length > 64)) return undefined;
    const visitorLanguage = languageOf(visit.acceptLanguage);
    const inApp = inAppBrowser(visit.userAgent);
    const variant = `${contentId ?? ''}|${visitorLanguage}|${inApp ?? ''}`;
    const at = clock.now().getTime();
    const hit = cache.get(handle, variant, at);
    if (hit) return hit.page;
    const page = await renderFresh(handle, contentId, visitorLanguage, inApp);
    cache.set(handle, variant, page, at);
    return page;
  }

  async function renderFresh(
    handle: string,
    contentId: string | undefined,
    visitorLanguage: PageLanguage,
    inApp: 'tiktok' | 'instagram' | undefined,
  ): Promise<RenderedPage | undefined> {
    const page = await repo.findPageByHandle(db, handle);
    if (!page) return undefined;
    const now = clock.now();
    let rows: repo.BioLinkRow[];
    let video: { title: string | null } | undefined;
    if (contentId !== undefined) {
      const content = await repo.contentOfCreator(db, page.creatorId, contentId);
      if (!content) return undefined;
      video = { title: content.title };
      rows = (await repo.videoLinks(db, page.creatorId, contentId)).map((l) =>
        l.label === '' ? { ...l, label: labelOfDestination(l.destinationUrl) } : l,
      );
    } else {
      rows = await repo.pageLinks(db, page.creatorId);
    }
    rows = rows.filter((l) => live(l, now));
    const codes = await repo.activeCodes(
      db,
      page.creatorId,
      [...new Set(rows.map((l) => l.programId))],
      now.toISOString(),
    );
    const links: RenderedLink[] = rows.map((l) => ({ label: l.label, slug: l.slug, code: codeFor(l, codes) }));
    const language = page.language === 'auto' ? visitorLanguage : page.language;
    const { html, csp } = renderPage({
      handle: page.handle,
      title: page.title,
      bio: page.bio,
      avatarUrl: page.avatarUrl,
      theme: page.theme,
      language,
      links,
      pageUrl: `${base}/@${page.handle}${contentId !== undefined ? `/v/${encodeURIComponent(contentId)}` : ''}`,
      video,
      inApp,
    });
    return { html, csp, language };
  }

  /** Counts a copy of a code shown on the page; false when the code is not the page's creator's or not active. */
  async function countCopy(handle: string, codeId: string): Promise<boolean> {
    if (!HANDLE_PATTERN.test(handle)) return false;
    const page = await repo.findPageByHandle(db, handle);
    if (!page) return false;
    const now = clock.now();
    if (!(await repo.activeCodeOf(db, page.creatorId, codeId))) return false;
    await repo.countCopy(db, codeId, utcDay(now.getTime()));
    return true;
  }

  return { mine, put, render, countCopy };
}

export type BioService = ReturnType<typeof bioService>;
