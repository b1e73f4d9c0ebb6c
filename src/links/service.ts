import { rollingViews } from '../analytics/view-rollups.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { AppError, forbidden, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Principal } from '../shared/principal.js';
import { roleAtLeast } from '../shared/principal.js';
import type { LinkCache } from './cache.js';
import { destinationProblem } from './destination.js';
import * as repo from './repository.js';
import type { CreateLinkInput, Link, UpdateLinkInput } from './schemas.js';
import { generateSlug, slugProblem } from './slug.js';

export function ownerOf(principal: Principal): repo.LinkOwner {
  if (principal.workspace) return { workspaceId: principal.workspace.id };
  if (principal.creatorId) return { creatorId: principal.creatorId };
  throw forbidden('Links belong to a brand workspace or a creator account');
}

function actorOf(principal: Principal): string {
  return principal.userId ?? principal.credentialId;
}

/** A program a creator is approved in, with what link rules need; undefined otherwise. */
async function approvedProgram(db: Db, programId: string, creatorId: string) {
  const row = await db
    .selectFrom('programs')
    .innerJoin('enrollments', 'enrollments.program_id', 'programs.id')
    .select(['programs.id', 'programs.workspace_id', 'programs.allowed_domains', 'programs.status'])
    .where('programs.id', '=', programId)
    .where('enrollments.creator_id', '=', creatorId)
    .where('enrollments.status', '=', 'approved')
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    allowedDomains: JSON.parse(row.allowed_domains) as string[],
    archived: row.status === 'archived',
  };
}

export function linksService({
  db,
  clock,
  cache,
  publicUrl,
  domains,
}: {
  db: Db;
  clock: Clock;
  cache: LinkCache;
  publicUrl: string;
  /** On an instance that needs proved domains, refuses destinations on a domain not proved. */
  domains?: { checkHost(workspaceId: string, host: string): Promise<void> } | undefined;
}) {
  const present = (l: repo.LinkRow): Link => ({
    id: l.id,
    programId: l.programId,
    creatorId: l.creatorId,
    slug: l.slug,
    shortUrl: `${publicUrl}/${l.slug}`,
    destinationUrl: l.destinationUrl,
    contentId: l.contentId,
    placement: l.placement,
    utm: l.utm,
    status: l.status,
    expiresAt: l.expiresAt,
    createdAt: l.createdAt,
    updatedAt: l.updatedAt,
  });

  function checkDestination(url: string, allowedDomains: string[]): void {
    const problem = destinationProblem(url, allowedDomains);
    if (problem)
      throw new AppError(problem.code, problem.message, [{ path: 'body.destinationUrl', message: problem.message }]);
  }

  async function checkContent(contentId: string | null | undefined, creatorId: string): Promise<void> {
    if (!contentId) return;
    const content = await db
      .selectFrom('contents')
      .select('id')
      .where('id', '=', contentId)
      .where('creator_id', '=', creatorId)
      .executeTakeFirst();
    if (!content) {
      throw new AppError('INVALID_CONTENT', "The content does not exist or is not this creator's", [
        { path: 'body.contentId', message: 'unknown content' },
      ]);
    }
  }

  /** Resolves who the link is for and checks that they may have one in this program. */
  async function target(principal: Principal, input: CreateLinkInput) {
    let creatorId: string;
    if (principal.workspace) {
      if (!roleAtLeast(principal.workspace.role, 'manager')) throw forbidden('Viewers cannot create links');
      if (!input.creatorId) {
        throw new AppError('VALIDATION_FAILED', 'A brand names the creator the link is for', [
          { path: 'body.creatorId', message: 'required with a brand token' },
        ]);
      }
      const own = await db
        .selectFrom('programs')
        .select('id')
        .where('id', '=', input.programId)
        .where('workspace_id', '=', principal.workspace.id)
        .executeTakeFirst();
      if (!own) throw notFound('Program');
      creatorId = input.creatorId;
    } else if (principal.creatorId) {
      if (input.creatorId && input.creatorId !== principal.creatorId)
        throw forbidden('A creator makes links only for itself');
      creatorId = principal.creatorId;
    } else {
      throw forbidden('Links belong to a brand workspace or a creator account');
    }
    const program = await approvedProgram(db, input.programId, creatorId);
    if (!program) {
      // A creator with no enrollment at all learns nothing about a program it cannot see.
      if (principal.creatorId && !principal.workspace) {
        const enrolled = await db
          .selectFrom('enrollments')
          .select('id')
          .where('program_id', '=', input.programId)
          .where('creator_id', '=', creatorId)
          .executeTakeFirst();
        if (!enrolled) throw notFound('Program');
      }
      throw new AppError('CREATOR_NOT_APPROVED', 'The creator is not approved in this program');
    }
    if (program.archived) throw new AppError('PROGRAM_ARCHIVED', 'The program is archived');
    return { creatorId, program };
  }

  async function create(principal: Principal, input: CreateLinkInput): Promise<Link> {
    if (input.slug !== undefined) {
      const problem = slugProblem(input.slug);
      if (problem) throw new AppError(problem.code, problem.message, [{ path: 'body.slug', message: problem.message }]);
    }
    const { creatorId, program } = await target(principal, input);
    checkDestination(input.destinationUrl, program.allowedDomains);
    await domains?.checkHost(program.workspaceId, new URL(input.destinationUrl).hostname);
    await checkContent(input.contentId, creatorId);
    const now = clock.now();
    const at = now.toISOString();
    for (let attempt = 0; ; attempt++) {
      const slug = input.slug ?? generateSlug();
      const link: repo.LinkRow = {
        id: newId('link', now.getTime()),
        workspaceId: program.workspaceId,
        programId: program.id,
        creatorId,
        slug,
        destinationUrl: new URL(input.destinationUrl).toString(),
        contentId: input.contentId ?? null,
        placement: input.placement,
        utm: input.utm ?? null,
        status: 'enabled',
        expiresAt: input.expiresAt ?? null,
        createdBy: actorOf(principal),
        createdAt: at,
        updatedAt: at,
      };
      const made = await db.transaction().execute(async (tx) => {
        // A link pointing at a video brings the video's views into the program.
        if (!(await rollingViews(tx, [link.contentId], () => repo.insertLinkIfFree(tx, link)))) return false;
        await repo.insertDestinationChange(tx, {
          id: newId('linkChange'),
          linkId: link.id,
          destinationUrl: link.destinationUrl,
          changedBy: link.createdBy,
          changedAt: at,
        });
        return true;
      });
      if (made) {
        // A slug that was looked up before it existed may be remembered as unknown.
        await cache.invalidate(slug);
        return present(link);
      }
      if (input.slug !== undefined) {
        throw new AppError('SLUG_TAKEN', `The slug ${input.slug} is taken`, [{ path: 'body.slug', message: 'taken' }]);
      }
      // A generated slug that another link has: another is drawn, a few times at most.
      if (attempt >= 5) throw new Error('no free slug was drawn in six attempts');
    }
  }

  async function find(principal: Principal, id: string): Promise<repo.LinkRow> {
    const link = await repo.findLink(db, ownerOf(principal), id);
    if (!link) throw notFound('Link');
    return link;
  }

  async function get(
    principal: Principal,
    id: string,
  ): Promise<Link & { history: Awaited<ReturnType<typeof repo.destinationHistory>> }> {
    const link = await find(principal, id);
    return { ...present(link), history: await repo.destinationHistory(db, link.id) };
  }

  async function list(principal: Principal, opts: Parameters<typeof repo.listLinks>[2]): Promise<Link[]> {
    return (await repo.listLinks(db, ownerOf(principal), opts)).map(present);
  }

  function checkWriter(principal: Principal): void {
    if (principal.workspace && !roleAtLeast(principal.workspace.role, 'manager'))
      throw forbidden('Viewers cannot change links');
  }

  async function update(principal: Principal, id: string, patch: UpdateLinkInput): Promise<Link> {
    checkWriter(principal);
    const current = await find(principal, id);
    const at = clock.now().toISOString();
    const next: repo.LinkRow = { ...current, updatedAt: at };
    // Switching a link off is always allowed. Anything else follows the rules of making one: the
    // creator still approved in the program, the program not archived, the destination allowed.
    const onlyStops = Object.entries(patch).every(([k, v]) => v === undefined || (k === 'status' && v === 'disabled'));
    if (!onlyStops) {
      const program = await approvedProgram(db, current.programId, current.creatorId);
      if (!program) throw new AppError('CREATOR_NOT_APPROVED', 'The creator is no longer approved in this program');
      if (program.archived) throw new AppError('PROGRAM_ARCHIVED', 'The program is archived');
      // The kept destination too: the program may have dropped its domain since the link was made.
      checkDestination(patch.destinationUrl ?? current.destinationUrl, program.allowedDomains);
      await domains?.checkHost(program.workspaceId, new URL(patch.destinationUrl ?? current.destinationUrl).hostname);
      if (patch.destinationUrl !== undefined) next.destinationUrl = new URL(patch.destinationUrl).toString();
    }
    if (patch.contentId !== undefined) {
      await checkContent(patch.contentId, current.creatorId);
      next.contentId = patch.contentId;
    }
    if (patch.placement !== undefined) next.placement = patch.placement;
    if (patch.utm !== undefined) next.utm = patch.utm;
    if (patch.status !== undefined) next.status = patch.status;
    if (patch.expiresAt !== undefined) next.expiresAt = patch.expiresAt;
    await db.transaction().execute(async (tx) => {
      await rollingViews(tx, [current.contentId, next.contentId], () => repo.saveLink(tx, next));
      if (next.destinationUrl !== current.destinationUrl) {
        await repo.insertDestinationChange(tx, {
          id: newId('linkChange'),
          linkId: current.id,
          destinationUrl: next.destinationUrl,
          changedBy: actorOf(principal),
          changedAt: at,
        });
      }
    });
    await cache.invalidate(current.slug);
    return present(next);
  }

  /** A deleted link keeps its slug (a printed QR code must never lead elsewhere) and answers 410. */
  async function remove(principal: Principal, id: string): Promise<void> {
    checkWriter(principal);
    const current = await find(principal, id);
    await repo.saveLink(db, { ...current, status: 'deleted', updatedAt: clock.now().toISOString() });
    await cache.invalidate(current.slug);
  }

  return { create, get, find, list, update, remove, present };
}

export type LinksService = ReturnType<typeof linksService>;
