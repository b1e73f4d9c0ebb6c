import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { WorkspaceScope } from '../shared/principal.js';
import { nobodyToTell, type ProgramChanged } from './cache.js';
import { recordRateChange, sameRate } from './rate-changes.js';
import * as repo from './repository.js';
import type { CreateProgramInput, Program, UpdateProgramInput } from './schemas.js';

export function programsService({
  db,
  clock,
  onChange = nobodyToTell,
}: {
  db: Db;
  clock: Clock;
  /** Told after a program's status or settings change, so cached links and sales see it at once. */
  onChange?: ProgramChanged | undefined;
}) {
  const changed = async <T>(id: string, result: T): Promise<T> => {
    await onChange(id);
    return result;
  };

  async function create(scope: WorkspaceScope, input: CreateProgramInput): Promise<Program> {
    const now = clock.now();
    const at = now.toISOString();
    const program: Program = {
      id: newId('program', now.getTime()),
      name: input.name,
      description: input.description ?? null,
      currency: input.currency,
      allowedDomains: input.allowedDomains,
      defaultRate: input.defaultRate,
      attributionWindowDays: input.attributionWindowDays,
      holdingDays: input.holdingDays,
      minPayoutAmount: input.minPayoutAmount,
      visibility: input.visibility,
      codeWinsOverClick: input.codeWinsOverClick,
      commissionDuration: input.commissionDuration,
      rateCutNoticeDays: input.rateCutNoticeDays,
      payoutAccount: input.payoutAccount ?? null,
      utmDefaults: input.utmDefaults ?? null,
      tiers: input.tiers,
      leadRewardAmount: input.leadRewardAmount ?? null,
      timezone: input.timezone,
      status: 'active',
      createdAt: at,
      updatedAt: at,
      archivedAt: null,
    };
    return repo.insertProgram(db, scope, program);
  }

  async function get(scope: WorkspaceScope, id: string): Promise<Program> {
    const program = await repo.findProgram(db, scope, id);
    if (!program) throw notFound('Program');
    return program;
  }

  /**
   * A program as a creator reads it: its terms, without the brand's own payout account. Not
   * found unless the creator is enrolled in it or it is open to applications.
   */
  async function getForCreator(creatorId: string, id: string): Promise<Program> {
    const program = await repo.findProgramForCreator(db, creatorId, id);
    if (!program) throw notFound('Program');
    return { ...program, payoutAccount: null };
  }

  /** Programs a creator may apply to (open, active, not joined yet), without the brands' payout accounts. */
  async function listOpen(creatorId: string, opts: { limit: number; before?: string | undefined }) {
    return (await repo.listOpenPrograms(db, creatorId, opts)).map((p) => ({ ...p, payoutAccount: null }));
  }

  /** A program that new work may be added to: it exists in the workspace and is not archived. */
  async function getActive(scope: WorkspaceScope, id: string): Promise<Program> {
    const program = await get(scope, id);
    if (program.status === 'archived') {
      throw new AppError('PROGRAM_ARCHIVED', 'The program is archived; restore it first');
    }
    return program;
  }

  async function list(scope: WorkspaceScope, opts: Parameters<typeof repo.listPrograms>[2]) {
    return repo.listPrograms(db, scope, opts);
  }

  async function update(scope: WorkspaceScope, id: string, patch: UpdateProgramInput): Promise<Program> {
    const saved = await db.transaction().execute(async (tx) => {
      const current = await repo.findProgram(tx, scope, id);
      if (!current) throw notFound('Program');
      if (current.status === 'archived') {
        throw new AppError('PROGRAM_ARCHIVED', 'The program is archived; restore it before editing');
      }
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const next: Program = { ...current, ...defined, updatedAt: clock.now().toISOString() };
      if (!sameRate(current.defaultRate, next.defaultRate)) {
        await recordRateChange(tx, {
          programId: id,
          enrollmentId: null,
          from: current.defaultRate,
          to: next.defaultRate,
          at: next.updatedAt,
        });
      }
      return repo.saveProgram(tx, scope, next);
    });
    return changed(id, saved);
  }

  async function setArchived(scope: WorkspaceScope, id: string, archived: boolean): Promise<Program> {
    const saved = await db.transaction().execute(async (tx) => {
      const current = await repo.findProgram(tx, scope, id);
      if (!current) throw notFound('Program');
      const at = clock.now().toISOString();
      if ((current.status === 'archived') === archived) return current;
      return repo.saveProgram(tx, scope, {
        ...current,
        status: archived ? 'archived' : 'active',
        archivedAt: archived ? at : null,
        updatedAt: at,
      });
    });
    return changed(id, saved);
  }

  return { create, get, getForCreator, listOpen, getActive, list, update, setArchived };
}

export type ProgramsService = ReturnType<typeof programsService>;
