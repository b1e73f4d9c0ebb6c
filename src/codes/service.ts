import { rollingViews } from '../analytics/view-rollups.js';
import type { Db } from '../db/database.js';
import { nobodyToTell, type ProgramChanged } from '../programs/cache.js';
import type { ProgramsService } from '../programs/service.js';
import type { Clock } from '../shared/clock.js';
import { AppError, forbidden, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Principal, WorkspaceScope } from '../shared/principal.js';
import { codeProblem, generateCode } from './code.js';
import * as repo from './repository.js';
import type { Code, CreateCodeInput, RotateCodeInput, UpdateCodeInput } from './schemas.js';

export function codeViewerOf(principal: Principal): repo.CodeViewer {
  if (principal.workspace) return { workspaceId: principal.workspace.id };
  if (principal.creatorId) return { creatorId: principal.creatorId };
  throw forbidden('Codes belong to a brand workspace or a creator account');
}

const present = ({ workspaceId: _, ...code }: repo.CodeRow): Code => code;

export function codesService({
  db,
  clock,
  programs,
  onChange = nobodyToTell,
}: {
  db: Db;
  clock: Clock;
  programs: ProgramsService;
  onChange?: ProgramChanged | undefined;
}) {
  function checkTyped(code: string): void {
    const problem = codeProblem(code);
    if (problem) throw new AppError('INVALID_CODE', problem, [{ path: 'body.code', message: problem }]);
  }

  /** A new code for a creator in a program: the one asked for, or a generated one that is free. */
  async function freeCode(programId: string, creatorId: string, wanted: string | undefined): Promise<string> {
    if (wanted !== undefined) {
      checkTyped(wanted);
      if (await repo.codeTaken(db, programId, wanted)) {
        throw new AppError('CODE_TAKEN', `The code ${wanted} is already used in this program (codes ignore case)`);
      }
      return wanted;
    }
    const creator = await db.selectFrom('creators').select('name').where('id', '=', creatorId).executeTakeFirst();
    for (let attempt = 0; attempt < 8; attempt++) {
      const code = generateCode(creator?.name ?? '');
      if (!(await repo.codeTaken(db, programId, code))) return code;
    }
    throw new AppError('CODE_TAKEN', 'No free code could be generated; give one');
  }

  async function create(scope: WorkspaceScope, programId: string, input: CreateCodeInput): Promise<Code> {
    await programs.getActive(scope, programId);
    const approved = await db
      .selectFrom('enrollments')
      .select('id')
      .where('program_id', '=', programId)
      .where('creator_id', '=', input.creatorId)
      .where('status', '=', 'approved')
      .executeTakeFirst();
    if (!approved) throw new AppError('CREATOR_NOT_APPROVED', 'The creator is not approved in this program');
    if (input.contentId) {
      const content = await db
        .selectFrom('contents')
        .select('id')
        .where('id', '=', input.contentId)
        .where('creator_id', '=', input.creatorId)
        .executeTakeFirst();
      if (!content) {
        throw new AppError('INVALID_CONTENT', "The content does not exist or is not this creator's", [
          { path: 'body.contentId', message: 'unknown content' },
        ]);
      }
    }
    const now = clock.now().toISOString();
    const code: repo.CodeRow = {
      id: newId('code'),
      workspaceId: scope.workspaceId,
      programId,
      creatorId: input.creatorId,
      contentId: input.contentId ?? null,
      code: await freeCode(programId, input.creatorId, input.code),
      discount: input.discount,
      status: 'active',
      activeFrom: now,
      activeUntil: null,
      replacedBy: null,
      createdAt: now,
      updatedAt: now,
    };
    // Taken between the check and the insert: the same answer as a code taken before.
    // A code pointing at a video brings the video's views into the program.
    const inserted = await db
      .transaction()
      .execute((tx) => rollingViews(tx, [code.contentId], () => repo.insertCodeIfFree(tx, code)));
    if (!inserted) {
      throw new AppError('CODE_TAKEN', `The code ${code.code} is already used in this program`);
    }
    await onChange(programId);
    return present(code);
  }

  async function get(principal: Principal, id: string): Promise<Code> {
    const code = await repo.findCode(db, codeViewerOf(principal), id);
    if (!code) throw notFound('Code');
    return present(code);
  }

  async function list(principal: Principal, opts: Parameters<typeof repo.listCodes>[2]): Promise<Code[]> {
    return (await repo.listCodes(db, codeViewerOf(principal), opts)).map(present);
  }

  async function update(scope: WorkspaceScope, id: string, patch: UpdateCodeInput): Promise<Code> {
    const saved = await db.transaction().execute(async (tx) => {
      const current = await repo.findCode(tx, { workspaceId: scope.workspaceId }, id);
      if (!current) throw notFound('Code');
      const now = clock.now().toISOString();
      const next: repo.CodeRow = { ...current, updatedAt: now };
      if (patch.discount) next.discount = patch.discount;
      if (patch.status === 'disabled' && current.status === 'active') {
        next.status = 'disabled';
        // A code that was already set to stop later stops now.
        next.activeUntil = current.activeUntil !== null && current.activeUntil < now ? current.activeUntil : now;
      }
      if (patch.status === 'active' && current.status === 'disabled') {
        if (current.replacedBy) {
          throw new AppError(
            'CODE_REPLACED',
            `This code was replaced by ${current.replacedBy}; it cannot be enabled again`,
          );
        }
        next.status = 'active';
        next.activeUntil = null;
      }
      await repo.saveCode(tx, next);
      return present(next);
    });
    await onChange(saved.programId);
    return saved;
  }

  /** Replaces a leaked code: a new one for the same creator from now, the old one stops at `effectiveAt`. */
  async function rotate(scope: WorkspaceScope, id: string, input: RotateCodeInput): Promise<{ old: Code; code: Code }> {
    const now = clock.now();
    const stopAt = input.effectiveAt ? new Date(input.effectiveAt) : now;
    if (stopAt.getTime() < now.getTime() - 1000) {
      throw new AppError('VALIDATION_FAILED', 'effectiveAt cannot be in the past: sales already attributed stay so', [
        { path: 'body.effectiveAt', message: 'in the past' },
      ]);
    }
    const current = await repo.findCode(db, { workspaceId: scope.workspaceId }, id);
    if (!current) throw notFound('Code');
    if (current.replacedBy)
      throw new AppError('CODE_REPLACED', `This code was already replaced by ${current.replacedBy}`);
    const text = await freeCode(current.programId, current.creatorId, input.code);
    const at = now.toISOString();
    const fresh: repo.CodeRow = {
      ...current,
      id: newId('code'),
      code: text,
      status: 'active',
      activeFrom: at,
      activeUntil: null,
      replacedBy: null,
      createdAt: at,
      updatedAt: at,
    };
    const stop = stopAt.toISOString();
    const old: repo.CodeRow = {
      ...current,
      status: stop <= at ? 'disabled' : current.status,
      activeUntil: current.activeUntil !== null && current.activeUntil < stop ? current.activeUntil : stop,
      replacedBy: fresh.id,
      updatedAt: at,
    };
    const rotated = await db.transaction().execute(async (tx) => {
      if (!(await repo.insertCodeIfFree(tx, fresh))) return false;
      await repo.saveCode(tx, old);
      return true;
    });
    if (!rotated) throw new AppError('CODE_TAKEN', `The code ${text} is already used in this program`);
    await onChange(current.programId);
    return { old: present(old), code: present(fresh) };
  }

  return { create, get, list, update, rotate };
}

export type CodesService = ReturnType<typeof codesService>;
