/**
 * What the three use cases (record-sale, record-refund, record-lead) share: their dependencies,
 * the delivery's transaction, the order locks, and the lookups of the program a delivery is for,
 * kept between deliveries when there is a program cache.
 */

import type { Db, DbOrTx } from '../db/database.js';
import { GroupCommit } from '../db/group-commit.js';
import { inGroupsOf } from '../db/prepared.js';
import { exchangeRateOf } from '../exchange-rates/repository.js';
import type { ProgramCache } from '../programs/cache.js';
import { toProgram } from '../programs/repository.js';
import type { Program } from '../programs/schemas.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import type { WorkspaceScope } from '../shared/principal.js';
import type { ConversionOutcome, RecordOptions } from './contract.js';
import {
  creatorName,
  type EnrollmentRow,
  enrollmentsOfCreators,
  type ProductRef,
  productsByRefs,
  programById,
} from './lookups.js';
import { readConversion } from './read.js';
import { lockOrder } from './repository.js';

export interface ConversionsDeps {
  db: Db;
  clock: Clock;
  /** Keys the hash of customers' emails. */
  secret: string;
  dialect: 'sqlite' | 'postgres';
  /** What sales read of their program, kept between sales; without it, each sale reads it again. */
  programCache?: ProgramCache | undefined;
}

export interface ConversionsContext extends ConversionsDeps {
  /** On SQLite, deliveries share transactions (group commit). */
  batches: GroupCommit | undefined;
}

export function contextOf(deps: ConversionsDeps): ConversionsContext {
  return { ...deps, batches: deps.dialect === 'sqlite' ? new GroupCommit(deps.db) : undefined };
}

/**
 * Deliveries that name the same order (or the same customer) are taken one at a time: a refund
 * racing its sale, two refunds of one order, two orders of one new customer, must see each other. SQLite writes one transaction at a time
 * anyway; on PostgreSQL a transaction-scoped advisory lock per order id does it.
 */
export async function lockOrders(ctx: ConversionsContext, tx: DbOrTx, programId: string, keys: string[]) {
  if (ctx.dialect !== 'postgres') return;
  for (const key of [...new Set(keys)].sort()) await lockOrder(tx, programId, key);
}

/**
 * Runs a delivery in one transaction. Twins cannot race: on SQLite deliveries share transactions
 * (group commit), on PostgreSQL each takes its order's and customer's locks (`lockOrders`) before
 * it reads what it may write.
 */
async function inTransaction<T>(ctx: ConversionsContext, work: (tx: DbOrTx) => Promise<T>): Promise<T> {
  if (ctx.batches) return ctx.batches.run(work);
  return ctx.db.transaction().execute(work);
}

/** A delivery's transaction; with `withView`, the conversion is read back in it for the answer. */
export function recordIn(
  ctx: ConversionsContext,
  scope: WorkspaceScope,
  options: RecordOptions | undefined,
  work: (tx: DbOrTx) => Promise<ConversionOutcome>,
): Promise<ConversionOutcome> {
  return inTransaction(ctx, async (tx) => {
    const outcome = await work(tx);
    if (options?.withView && outcome.conversionId && !outcome.view) {
      outcome.view = await readConversion(tx, scope, outcome.conversionId);
    }
    return outcome;
  });
}

/** A value of a program that sales read and do not change: kept between sales when there is a cache. */
export function kept<T>(ctx: ConversionsContext, programId: string, key: string, load: () => Promise<T>): Promise<T> {
  return ctx.programCache ? ctx.programCache.get(programId, key, load) : load();
}

/**
 * Values of a program looked up by several keys at once (products by reference, enrollments
 * by creator), `null` for a key not found: kept between sales when there is a cache.
 */
async function keptEach<T>(
  ctx: ConversionsContext,
  programId: string,
  prefix: string,
  keys: readonly string[],
  load: (missing: string[]) => Promise<Map<string, T>>,
): Promise<Map<string, T | null>> {
  if (ctx.programCache) return ctx.programCache.getEach(programId, prefix, keys, load);
  const loaded = await load([...keys]);
  return new Map(keys.map((key) => [key, loaded.get(key) ?? null]));
}

/** The delivery's program, which must be the scope's. */
export async function loadProgram(
  ctx: ConversionsContext,
  tx: DbOrTx,
  scope: WorkspaceScope,
  id: string,
): Promise<Program> {
  const found = await kept(ctx, id, 'program', async () => {
    const row = await programById.first(tx, { id });
    return row ? { program: toProgram(row), workspaceId: row.workspace_id } : undefined;
  });
  if (!found || found.workspaceId !== scope.workspaceId) throw notFound('Program');
  return found.program;
}

/** A program's products named by their Kumppani id or the shop's own id; `null` for an unknown one. */
export function productsOf(
  ctx: ConversionsContext,
  tx: DbOrTx,
  programId: string,
  refs: string[],
): Promise<Map<string, ProductRef | null>> {
  return keptEach(ctx, programId, 'product:', refs, async (missing) => {
    const rows: ProductRef[] = [];
    for (const group of inGroupsOf(missing, 4)) {
      const [r0, r1, r2, r3] = group as [string, string, string, string];
      rows.push(...(await productsByRefs.run(tx, { programId, r0, r1, r2, r3 })));
    }
    const byRef = new Map<string, ProductRef>();
    for (const ref of missing) {
      const product = rows.find((p) => p.id === ref || p.external_id === ref);
      if (product) byRef.set(ref, product);
    }
    return byRef;
  });
}

/** The enrollments of some creators in a program, by creator; `null` for a creator not enrolled. */
export function enrollmentsOf(
  ctx: ConversionsContext,
  tx: DbOrTx,
  programId: string,
  creatorIds: string[],
): Promise<Map<string, EnrollmentRow | null>> {
  return keptEach(ctx, programId, 'enrollment:', creatorIds, async (missing) => {
    const byCreator = new Map<string, EnrollmentRow>();
    for (const group of inGroupsOf(missing, 3)) {
      const [c0, c1, c2] = group as [string, string, string];
      for (const e of await enrollmentsOfCreators.run(tx, { programId, c0, c1, c2 })) byCreator.set(e.creator_id, e);
    }
    return byCreator;
  });
}

export interface Names {
  creator(id: string): Promise<string>;
  /** A name already read with another row, so it is not looked up again. */
  know(id: string, name: string): void;
}

/** Creators' names for the summaries and explanations of one delivery, each read once. */
export function namesFor(tx: DbOrTx): Names {
  const cache = new Map<string, string>();
  return {
    async creator(id) {
      const known = cache.get(id);
      if (known) return known;
      const row = await creatorName.first(tx, { id });
      const name = row?.name ?? 'the creator';
      cache.set(id, name);
      return name;
    },
    know(id, name) {
      cache.set(id, name);
    },
  };
}

/** The operator's rate from one currency to another; a sale in a currency without one is refused. */
export async function exchangeRate(tx: DbOrTx, from: string, to: string): Promise<string> {
  const row = await exchangeRateOf.first(tx, { from, to });
  if (!row) {
    throw new AppError(
      'EXCHANGE_RATE_MISSING',
      `No exchange rate from ${from} to ${to}: the operator sets one with PUT /api/v1/exchange-rates/${from}/${to}`,
    );
  }
  return row.rate;
}
