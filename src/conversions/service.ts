import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import {
  type AttributionResult,
  attribute,
  type ClickCandidate,
  type CodeCandidate,
  type CustomerCandidate,
  type Evidence,
} from '../attribution/attribute.js';
import { codeForAttribution, codeOfKey } from '../codes/repository.js';
import { convert, reversalFor } from '../commissions/arithmetic.js';
import { explainLead, explainReversal, explainSaleLine, money } from '../commissions/explain.js';
import { chooseRate, orderCommissions } from '../commissions/rules.js';
import { toCommission } from '../commissions/service.js';
import type { Db, DbOrTx } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { GroupCommit } from '../db/group-commit.js';
import { sql } from '../db/kysely.js';
import { inGroupsOf, prepared } from '../db/prepared.js';
import type { CommissionStatus, EnrollmentsTable, ProductsTable, ProgramsTable } from '../db/schema.js';
import { insertRows } from '../db/statements.js';
import { checkSale, fraudSettings, type Hold, type LateWrites } from '../fraud/check.js';
import { settleNetworkFees } from '../network-fees/settle.js';
import type { ProgramCache } from '../programs/cache.js';
import { changesSince, rateChangesOf } from '../programs/rate-changes.js';
import { rateFromColumns, toProgram } from '../programs/repository.js';
import type { Program, Rate } from '../programs/schemas.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { isCurrencyCode, MAX_AMOUNT } from '../shared/money.js';
import type { WorkspaceScope } from '../shared/principal.js';
import type {
  ConversionOutcome,
  ConversionsPort,
  LeadInput,
  RecordOptions,
  RefundInput,
  SaleInput,
  SaleLineInput,
} from './contract.js';
import { conversionView, readConversion } from './read.js';
import * as repo from './repository.js';

const DAY_MS = 86_400_000;

// The lookups every tracked sale makes, compiled once (see prepared.ts).
const programById = prepared<{ id: string }, Selectable<ProgramsTable>>(['id'], (db, v) =>
  db.selectFrom('programs').selectAll().where('id', '=', v.id),
);
const creatorName = prepared<{ id: string }, { name: string }>(['id'], (db, v) =>
  db.selectFrom('creators').select('name').where('id', '=', v.id),
);
const exchangeRateOf = prepared<{ from: string; to: string }, { rate: string }>(['from', 'to'], (db, v) =>
  db.selectFrom('exchange_rates').select('rate').where('from_currency', '=', v.from).where('to_currency', '=', v.to),
);
const clickForAttribution = prepared<
  { clickId: string; programId: string },
  {
    id: string;
    at: string;
    link_id: string;
    creator_id: string;
    is_bot: number;
    visitor_hash: string;
    country: string;
    slug: string | null;
  }
>(['clickId', 'programId'], (db, v) =>
  db
    .selectFrom('clicks')
    .leftJoin('links', 'links.id', 'clicks.link_id')
    .select([
      'clicks.id',
      'clicks.at',
      'clicks.link_id',
      'clicks.creator_id',
      'clicks.is_bot',
      'clicks.visitor_hash',
      'clicks.country',
      'links.slug',
    ])
    .where('clicks.id', '=', v.clickId)
    .where('clicks.program_id', '=', v.programId),
);
/** The enrollments of up to three creators (a sale's candidates: by code, by click, as a returning customer). */
const enrollmentsOfCreators = prepared<
  { programId: string; c0: string; c1: string; c2: string },
  Selectable<EnrollmentsTable> & { creator_name: string }
>(['programId', 'c0', 'c1', 'c2'], (db, v) =>
  db
    .selectFrom('enrollments')
    .innerJoin('creators', 'creators.id', 'enrollments.creator_id')
    .selectAll('enrollments')
    .select('creators.name as creator_name')
    .where('enrollments.program_id', '=', v.programId)
    .where('enrollments.creator_id', 'in', [v.c0, v.c1, v.c2]),
);
/** Products named by up to four references, each Kumppani's id or the shop's own. */
const productsByRefs = prepared<
  { programId: string; r0: string; r1: string; r2: string; r3: string },
  Pick<Selectable<ProductsTable>, 'id' | 'external_id' | 'name' | 'rate_type' | 'rate_value'>
>(['programId', 'r0', 'r1', 'r2', 'r3'], (db, v) => {
  const refs = [v.r0, v.r1, v.r2, v.r3];
  return db
    .selectFrom('products')
    .select(['id', 'external_id', 'name', 'rate_type', 'rate_value'])
    .where('program_id', '=', v.programId)
    .where((eb) => eb.or([eb('id', 'in', refs), eb('external_id', 'in', refs)]));
});

/** Emails are kept only as a keyed hash, enough to recognise a returning customer. */
export function emailHash(email: string, secret: string): string {
  return createHash('sha256').update(`${secret}\0${email.trim().toLowerCase()}`).digest('base64url').slice(0, 32);
}

function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 32);
}

function badInput(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, [{ path, message }]);
}

function checkAmount(value: unknown, path: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_AMOUNT) {
    throw badInput(path, 'must be a whole, non-negative amount in minor units');
  }
}

function checkCurrency(currency: string, path: string): void {
  if (!isCurrencyCode(currency)) throw badInput(path, `${currency} is not an ISO 4217 currency code`);
}

function checkLines(lines: SaleLineInput[]): void {
  if (lines.length === 0) throw badInput('lines', 'a sale has at least one line');
  lines.forEach((l, i) => {
    checkAmount(l.amount, `lines.${i}.amount`);
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1) {
      throw badInput(`lines.${i}.quantity`, 'must be a whole number of at least 1');
    }
  });
}

function occurredAt(given: string | null | undefined, clock: Clock): Date {
  if (!given) return clock.now();
  const d = new Date(given);
  if (Number.isNaN(d.getTime())) throw badInput('occurredAt', 'must be an ISO 8601 time');
  return d;
}

function monthBounds(at: Date): [string, string] {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return [start.toISOString(), end.toISOString()];
}

interface Names {
  creator(id: string): Promise<string>;
  /** A name already read with another row, so it is not looked up again. */
  know(id: string, name: string): void;
}

export function conversionsService({
  db,
  clock,
  secret,
  dialect,
  programCache,
}: {
  db: Db;
  clock: Clock;
  secret: string;
  dialect: 'sqlite' | 'postgres';
  /** What sales read of their program, kept between sales; without it, each sale reads it again. */
  programCache?: ProgramCache | undefined;
}) {
  /**
   * Deliveries that name the same order are taken one at a time: a refund racing its sale, or
   * two refunds of one order, must see each other. SQLite writes one transaction at a time
   * anyway; on PostgreSQL a transaction-scoped advisory lock per order id does it.
   */
  async function lockOrders(tx: DbOrTx, programId: string, keys: string[]): Promise<void> {
    if (dialect !== 'postgres') return;
    for (const key of [...new Set(keys)].sort()) {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`${programId}:${key}`}, 0))`.execute(tx);
    }
  }

  const batches = dialect === 'sqlite' ? new GroupCommit(db) : undefined;

  /** Runs a delivery in one transaction; a unique constraint hit by a concurrent twin is retried once. */
  async function inTransaction<T>(work: (tx: DbOrTx) => Promise<T>): Promise<T> {
    // On SQLite deliveries share transactions (group commit); a twin cannot race there.
    if (batches) return batches.run(work);
    for (let attempt = 0; ; attempt++) {
      try {
        return await db.transaction().execute(work);
      } catch (err) {
        if (attempt < 2 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  /** A delivery's transaction; with `withView`, the conversion is read back in it for the answer. */
  function recordIn(
    scope: WorkspaceScope,
    options: RecordOptions | undefined,
    work: (tx: DbOrTx) => Promise<ConversionOutcome>,
  ): Promise<ConversionOutcome> {
    return inTransaction(async (tx) => {
      const outcome = await work(tx);
      if (options?.withView && outcome.conversionId && !outcome.view) {
        outcome.view = await readConversion(tx, scope, outcome.conversionId);
      }
      return outcome;
    });
  }

  /** A value of a program that sales read and do not change: kept between sales when there is a cache. */
  const kept = <T>(programId: string, key: string, load: () => Promise<T>): Promise<T> =>
    programCache ? programCache.get(programId, key, load) : load();

  /**
   * Values of a program looked up by several keys at once (products by reference, enrollments
   * by creator), `null` for a key not found: kept between sales when there is a cache.
   */
  const keptEach = async <T>(
    programId: string,
    prefix: string,
    keys: readonly string[],
    load: (missing: string[]) => Promise<Map<string, T>>,
  ): Promise<Map<string, T | null>> => {
    if (programCache) return programCache.getEach(programId, prefix, keys, load);
    const loaded = await load([...keys]);
    return new Map(keys.map((key) => [key, loaded.get(key) ?? null]));
  };

  async function loadProgram(tx: DbOrTx, scope: WorkspaceScope, id: string): Promise<Program> {
    const found = await kept(id, 'program', async () => {
      const row = await programById.first(tx, { id });
      return row ? { program: toProgram(row), workspaceId: row.workspace_id } : undefined;
    });
    if (!found || found.workspaceId !== scope.workspaceId) throw notFound('Program');
    return found.program;
  }

  type ProductRef = Awaited<ReturnType<typeof productsByRefs.run>>[number];

  /** A program's products named by their Kumppani id or the shop's own id; `null` for an unknown one. */
  function productsOf(tx: DbOrTx, programId: string, refs: string[]): Promise<Map<string, ProductRef | null>> {
    return keptEach(programId, 'product:', refs, async (missing) => {
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

  type EnrollmentRow = Awaited<ReturnType<typeof enrollmentsOfCreators.run>>[number];

  /** The enrollments of some creators in a program, by creator; `null` for a creator not enrolled. */
  function enrollmentsOf(
    tx: DbOrTx,
    programId: string,
    creatorIds: string[],
  ): Promise<Map<string, EnrollmentRow | null>> {
    return keptEach(programId, 'enrollment:', creatorIds, async (missing) => {
      const byCreator = new Map<string, EnrollmentRow>();
      for (const group of inGroupsOf(missing, 3)) {
        const [c0, c1, c2] = group as [string, string, string];
        for (const e of await enrollmentsOfCreators.run(tx, { programId, c0, c1, c2 })) byCreator.set(e.creator_id, e);
      }
      return byCreator;
    });
  }

  function namesFor(tx: DbOrTx): Names {
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

  async function exchangeRate(tx: DbOrTx, from: string, to: string): Promise<string> {
    const row = await exchangeRateOf.first(tx, { from, to });
    if (!row) {
      throw new AppError(
        'EXCHANGE_RATE_MISSING',
        `No exchange rate from ${from} to ${to}: the operator sets one with PUT /api/v1/exchange-rates/${from}/${to}`,
      );
    }
    return row.rate;
  }

  /** The attribution candidates of a conversion, looked up in a handful of indexed queries. */
  async function candidates(
    tx: DbOrTx,
    program: Program,
    at: Date,
    input: { couponCodes?: string[] | undefined; clickId?: string | null | undefined; subscriptionId?: string | null },
    customer: repo.CustomerRow | undefined,
  ) {
    let code: (CodeCandidate & { discount: Rate }) | null = null;
    for (const typed of input.couponCodes ?? []) {
      if (!typed.trim()) continue;
      const found = await codeForAttribution(tx, program.id, typed, at, (key) =>
        kept(program.id, `code:${key}`, async () => (await codeOfKey(tx, program.id, key)) ?? null),
      );
      if (found && found.status === 'active') {
        code = {
          codeId: found.id,
          code: found.code,
          creatorId: found.creatorId,
          creatorApproved: false,
          discount: found.discount,
        };
        break;
      }
    }
    let click: (ClickCandidate & { slug: string | null; visitorHash: string; country: string }) | null = null;
    if (input.clickId) {
      const row = await clickForAttribution.first(tx, { clickId: input.clickId, programId: program.id });
      if (row) {
        click = {
          clickId: row.id,
          at: row.at,
          linkId: row.link_id,
          creatorId: row.creator_id,
          isBot: row.is_bot === 1,
          creatorApproved: false,
          slug: row.slug,
          visitorHash: row.visitor_hash,
          country: row.country,
        };
      }
    }
    let returning: CustomerCandidate | null = null;
    if (input.subscriptionId) {
      const first = await repo.firstSaleOfSubscription(tx, program.id, input.subscriptionId);
      if (first?.creator_id) {
        returning = {
          customerId: customer?.id ?? first.id,
          creatorId: first.creator_id,
          wonAt: first.occurred_at,
          creatorApproved: false,
          via: 'subscription',
        };
      }
    }
    if (!returning && customer?.creator_id && customer.won_at) {
      returning = {
        customerId: customer.id,
        creatorId: customer.creator_id,
        wonAt: customer.won_at,
        creatorApproved: false,
        via: 'customer',
      };
    }
    const creatorIds = [
      ...new Set([code?.creatorId, click?.creatorId, returning?.creatorId].filter((c) => !!c)),
    ] as string[];
    // At most three: by code, by click, returning.
    const enrollments = [...(await enrollmentsOf(tx, program.id, creatorIds)).values()].filter(
      (e): e is EnrollmentRow => e !== null,
    );
    const approved = new Set(enrollments.filter((e) => e.status === 'approved').map((e) => e.creator_id));
    if (code) code.creatorApproved = approved.has(code.creatorId);
    if (click) click.creatorApproved = approved.has(click.creatorId);
    if (returning) returning.creatorApproved = approved.has(returning.creatorId);
    return { code, click, customer: returning, enrollments };
  }

  async function touchCustomer(
    tx: DbOrTx,
    program: Program,
    input: { customerId?: string | null | undefined; customerEmail?: string | null | undefined },
  ): Promise<{ row: repo.CustomerRow | undefined; hash: string | null }> {
    const hash = input.customerEmail ? emailHash(input.customerEmail, secret) : null;
    const row = await repo.findCustomer(tx, program.id, input.customerId ?? null, hash);
    return { row, hash };
  }

  async function rememberCustomer(
    tx: DbOrTx,
    scope: WorkspaceScope,
    program: Program,
    input: { customerId?: string | null | undefined },
    found: { row: repo.CustomerRow | undefined; hash: string | null },
    conversionId: string,
    winner: string | null,
    at: string,
  ): Promise<string | null> {
    if (!input.customerId && !found.hash) return null;
    if (!found.row) {
      const id = newId('customer', Date.parse(at));
      await insertRows(tx, 'customers', [
        {
          id,
          workspace_id: scope.workspaceId,
          program_id: program.id,
          external_id: input.customerId ?? null,
          email_hash: found.hash,
          creator_id: winner,
          won_at: winner ? at : null,
          first_conversion_id: conversionId,
          created_at: clock.now().toISOString(),
        },
      ]);
      return id;
    }
    if (!found.row.creator_id && winner) {
      await tx
        .updateTable('customers')
        .set({ creator_id: winner, won_at: at })
        .where('id', '=', found.row.id)
        .execute();
    }
    return found.row.id;
  }

  function outcomeOf(
    conversion: repo.ConversionRow,
    kind: string,
    duplicate: boolean,
    commissionIds: string[],
    summary: string,
  ): ConversionOutcome {
    return {
      conversionId: conversion.id,
      duplicate,
      status: duplicate ? 'duplicate' : conversion.creator_id ? 'recorded' : 'unattributed',
      attribution: conversion.attribution,
      creatorId: conversion.creator_id,
      commissionIds,
      summary: duplicate ? `${kind} ${conversion.external_id} was already recorded: nothing changed` : summary,
    };
  }

  type NewEntry = Omit<repo.CommissionRow, 'created_at' | 'updated_at' | 'payout_id' | 'status_reason'>;

  /**
   * Writes ledger entries in one statement. An entry's row is the record of its own creation:
   * when (`created_at`), in which status (its current one, or the `from_status` of its first
   * event), why it is held, and for which conversion, whose source made it. Events record only
   * the changes of status that follow, so a sale writes no event rows at all.
   */
  async function insertEntries(tx: DbOrTx, entries: NewEntry[]): Promise<repo.CommissionRow[]> {
    if (entries.length === 0) return [];
    const now = clock.now().toISOString();
    const rows: repo.CommissionRow[] = entries.map((e) => ({
      ...e,
      payout_id: null,
      status_reason: null,
      created_at: now,
      updated_at: now,
    }));
    await insertRows(tx, 'commissions', rows);
    return rows;
  }

  const insertEntry = (tx: DbOrTx, entry: NewEntry) => insertEntries(tx, [entry]);

  const describeAttribution = async (names: Names, conversion: repo.ConversionRow, evidence: Evidence | null) => {
    if (!conversion.creator_id || !evidence) return 'unattributed';
    const who = await names.creator(conversion.creator_id);
    if (evidence.rule === 'code') return `by code ${evidence.code} of ${who}`;
    if (evidence.rule === 'click') return `by a click on a link of ${who}`;
    return `as a returning customer of ${who}`;
  };

  async function recordSale(
    scope: WorkspaceScope,
    input: SaleInput,
    options?: RecordOptions,
  ): Promise<ConversionOutcome> {
    checkCurrency(input.currency, 'currency');
    checkLines(input.lines);
    const at = occurredAt(input.occurredAt, clock);
    const print = fingerprint({
      currency: input.currency,
      lines: input.lines.map((l) => [l.lineId ?? null, l.productId ?? null, l.amount, l.quantity]),
      clickId: input.clickId ?? null,
      codes: [...(input.couponCodes ?? [])].map((c) => c.trim().toUpperCase()).sort(),
      customerId: input.customerId ?? null,
      customerEmail: input.customerEmail?.trim().toLowerCase() ?? null,
      subscriptionId: input.subscriptionId ?? null,
      occurredAt: input.occurredAt ? at.toISOString() : null,
    });

    return recordIn(scope, options, async (tx) => {
      const program = await loadProgram(tx, scope, input.programId);
      await lockOrders(tx, program.id, [input.orderId, ...(input.aliases ?? [])]);
      const existing = await repo.findConversion(tx, program.id, 'sale', input.orderId);
      if (existing) {
        if (existing.fingerprint !== print) {
          throw new AppError(
            'CONVERSION_CONFLICT',
            `Order ${input.orderId} was already recorded with other contents; an order id names one sale`,
          );
        }
        return outcomeOf(existing, 'sale', true, [], '');
      }
      const names = namesFor(tx);

      // Amounts in the program's currency; the original kept when the sale was in another.
      let rate: string | null = null;
      const lines = input.lines.map((l) => ({ ...l, original: l.amount }));
      if (input.currency !== program.currency) {
        rate = await exchangeRate(tx, input.currency, program.currency);
        const r = rate;
        for (const l of lines) {
          l.amount = convert(l.original, input.currency, program.currency, r);
          if (l.discountAmount) l.discountAmount = convert(l.discountAmount, input.currency, program.currency, r);
        }
      }
      const total = lines.reduce((s, l) => s + l.amount, 0);
      const originalTotal = lines.reduce((s, l) => s + l.original, 0);

      // Products named by their Kumppani id or the shop's own id.
      const wanted = [...new Set(lines.map((l) => l.productId).filter((p): p is string => !!p))];
      const products = await productsOf(tx, program.id, wanted);
      const productOf = (ref: string | null | undefined) => (ref ? (products.get(ref) ?? undefined) : undefined);

      const customer = await touchCustomer(tx, program, input);
      const found = await candidates(tx, program, at, input, customer.row);
      for (const e of found.enrollments) names.know(e.creator_id, e.creator_name);
      const result: AttributionResult = attribute(program, at, found);
      const conversionId = newId('conversion', at.getTime());
      const winner = result.attributed ? result.creatorId : null;
      const evidence = result.attributed ? result.evidence : null;
      const code = found.code && result.attributed && result.rule === 'code' ? found.code : null;

      const conversion: repo.ConversionRow = {
        id: conversionId,
        workspace_id: scope.workspaceId,
        program_id: program.id,
        kind: 'sale',
        external_id: input.orderId,
        fingerprint: print,
        source: input.source,
        currency: program.currency,
        amount: total,
        original_currency: input.currency,
        original_amount: originalTotal,
        exchange_rate: rate,
        click_id: input.clickId ?? null,
        code_id: found.code?.codeId ?? null,
        code: found.code?.code ?? input.couponCodes?.[0] ?? null,
        customer_id: null,
        subscription_id: input.subscriptionId ?? null,
        referrer: input.referrer ?? null,
        creator_id: winner,
        attribution: result.attributed ? result.rule : null,
        evidence: JSON.stringify(
          result.attributed ? { ...result.evidence, passedOver: result.passedOver } : { reasons: result.reasons },
        ),
        occurred_at: at.toISOString(),
        created_at: clock.now().toISOString(),
      };
      // The customer first (neither table points at the other with a foreign key), so the
      // conversion is written once, with its customer.
      conversion.customer_id = await rememberCustomer(
        tx,
        scope,
        program,
        input,
        customer,
        conversionId,
        winner,
        conversion.occurred_at,
      );
      const customerId = conversion.customer_id;
      await insertRows(tx, 'conversions', [conversion]);
      const lineRows: repo.LineRow[] = lines.map((l, i) => {
        const product = productOf(l.productId);
        return {
          conversion_id: conversionId,
          line_no: i + 1,
          line_id: l.lineId ?? null,
          product_id: product?.id ?? null,
          external_product_id: product ? product.external_id : (l.productId ?? null),
          name: l.name ?? product?.name ?? null,
          quantity: l.quantity,
          amount: l.amount,
          discount_amount: l.discountAmount ?? null,
          refunded_amount: 0,
        };
      });
      await insertRows(tx, 'conversion_lines', lineRows);
      await repo.insertAliases(tx, program.id, conversionId, input.aliases ?? []);

      const commissionIds: string[] = [];
      // Updates of rows that other sales share, made last so they stay locked for least time.
      const late: LateWrites = [];
      let written: repo.CommissionRow[] = [];
      let summary = `sale ${input.orderId} of ${money(total, program.currency)}: unattributed (${
        result.attributed ? '' : result.reasons.join('; ')
      })`;
      if (result.attributed && winner && evidence) {
        const enrollment = found.enrollments.find((e) => e.creator_id === winner);
        const enrolledAt = enrollment?.created_at ?? program.createdAt;
        const changes = changesSince(
          await kept(program.id, 'rateChanges', () => rateChangesOf(tx, program.id)),
          enrollment?.id ?? null,
          enrolledAt,
        );
        // The month's sales matter only to a program with tiers; the sum is not run for the others.
        const monthSales =
          program.tiers.length > 0 ? await repo.salesBetween(tx, program.id, winner, ...monthBounds(at)) : 0;
        const creatorRate =
          enrollment?.rate_type && enrollment.rate_value !== null
            ? rateFromColumns(enrollment.rate_type, enrollment.rate_value)
            : null;
        const priced = lineRows.map((l) => {
          const product = productOf(input.lines[l.line_no - 1]?.productId);
          const chosen = chooseRate({
            programRate: program.defaultRate,
            programRateChanges: changes.filter((c) => c.enrollmentId === null),
            creatorRate,
            creatorRateChanges: changes.filter((c) => c.enrollmentId !== null),
            productRate:
              product?.rate_type && product.rate_value !== null
                ? rateFromColumns(product.rate_type, product.rate_value)
                : null,
            tiers: program.tiers,
            monthSales,
            noticeDays: program.rateCutNoticeDays,
            at,
          });
          return { amount: l.amount, quantity: l.quantity, chosen };
        });
        const amounts = orderCommissions(priced);
        const holds: Hold[] = await checkSale(
          tx as Db,
          {
            workspaceId: scope.workspaceId,
            programId: program.id,
            conversionId,
            orderId: input.orderId,
            occurredAt: conversion.occurred_at,
            creatorId: winner,
            attribution: result.rule,
            codeId: found.code && found.code.creatorId === winner ? found.code.codeId : null,
            click: found.click
              ? {
                  linkId: found.click.linkId,
                  visitorHash: found.click.visitorHash,
                  at: found.click.at,
                  creatorId: found.click.creatorId,
                  country: found.click.country,
                }
              : null,
            customerId,
            customerEmail: input.customerEmail?.trim().toLowerCase() ?? null,
            isNewCustomer: !customer.row,
            referrer: input.referrer ?? null,
            amount: total,
          },
          clock.now(),
          late,
          await kept(program.id, 'fraud', () => fraudSettings(tx as Db, program.id)),
        );
        const hold = holds[0];
        const creatorName = await names.creator(winner);
        const approveAfter = new Date(at.getTime() + program.holdingDays * DAY_MS).toISOString();
        const entries: NewEntry[] = [];
        for (const [i, l] of lineRows.entries()) {
          const amount = amounts[i] ?? 0;
          const p = priced[i];
          if (!p || amount === 0) continue;
          const id = newId('commission', at.getTime());
          const original = rate ? { amount: lines[i]?.original ?? 0, currency: input.currency, rate } : null;
          entries.push({
            id,
            workspace_id: scope.workspaceId,
            program_id: program.id,
            creator_id: winner,
            conversion_id: conversionId,
            refund_id: null,
            reverses_id: null,
            line_no: l.line_no,
            kind: 'sale',
            amount,
            currency: program.currency,
            status: 'pending',
            base_amount: l.amount,
            rate: JSON.stringify(p.chosen.rate),
            rate_source: p.chosen.source,
            explanation: explainSaleLine({
              commission: amount,
              currency: program.currency,
              base: l.amount,
              quantity: l.quantity,
              lineName: l.name ?? l.external_product_id ?? `line ${l.line_no}`,
              chosen: p.chosen,
              discount:
                l.discount_amount || code
                  ? { amount: l.discount_amount, rate: code?.discount ?? null, code: code?.code ?? null }
                  : null,
              attribution: evidence,
              creatorName,
              linkSlug: found.click?.slug ?? null,
              original,
              orderFlat: p.chosen.rate.type === 'flat' && p.chosen.source !== 'product',
            }),
            hold_reason: hold ? hold.reason : null,
            hold_detail: holds.length > 0 ? holds.map((h) => h.detail).join(' ') : null,
            approve_after: approveAfter,
          });
          commissionIds.push(id);
        }
        written = await insertEntries(tx, entries);
        const earned = amounts.reduce((s, a) => s + a, 0);
        summary = `sale ${input.orderId} ${await describeAttribution(names, conversion, evidence)}: ${money(
          earned,
          program.currency,
        )} pending${hold ? `, held for review (${holds.map((h) => h.reason).join(', ')})` : ''}`;
      }

      // Refunds that arrived before their sale are applied now.
      const early = await repo.waitingRefunds(tx, program.id, [input.orderId, ...(input.aliases ?? [])]);
      for (const refund of early) {
        const request = JSON.parse(refund.request) as RefundInput;
        commissionIds.push(...(await applyRefund(tx, conversion, refund.external_id, request)));
        await tx
          .updateTable('refunds')
          .set({ status: 'applied', conversion_id: conversionId })
          .where('id', '=', refund.id)
          .execute();
      }
      if (early.length > 0) summary += `; ${early.length} earlier refund${early.length === 1 ? '' : 's'} applied`;
      for (const write of late) await write();
      // In network mode, the operator's fee on the sale accrues with it (and what refunds took back).
      await settleNetworkFees(tx, conversion.id, clock.now().toISOString());
      const outcome = outcomeOf(conversion, 'sale', false, commissionIds, summary);
      // What was just written is what a read would find; with earlier refunds applied, it is read.
      if (options?.withView && early.length === 0) {
        outcome.view = conversionView(
          conversion,
          lineRows,
          written
            .map((r) => toCommission({ ...r, order_id: conversion.external_id, attribution: conversion.attribution }))
            .sort((a, b) => (a.id < b.id ? -1 : 1)),
        );
      }
      return outcome;
    });
  }

  /** Reverses what a refund takes back, line by line; returns the ledger entries written. */
  async function applyRefund(
    tx: DbOrTx,
    conversion: repo.ConversionRow,
    refundId: string,
    input: RefundInput,
  ): Promise<string[]> {
    const lines = await repo.linesOf(tx, conversion.id);
    const toProgramCurrency = (amount: number) =>
      input.currency &&
      input.currency !== conversion.currency &&
      conversion.exchange_rate &&
      input.currency === conversion.original_currency
        ? convert(amount, conversion.original_currency, conversion.currency, conversion.exchange_rate)
        : amount;
    const remaining = (l: repo.LineRow, extra: Map<number, number>) =>
      l.amount - l.refunded_amount - (extra.get(l.line_no) ?? 0);
    const refundOf = new Map<number, number>();
    const spread = (amount: number) => {
      let left = amount;
      // In proportion to what is left to refund on each line, never more than a line's amount.
      const open = lines.filter((l) => remaining(l, refundOf) > 0);
      const totalOpen = open.reduce((s, l) => s + remaining(l, refundOf), 0);
      if (totalOpen === 0) return;
      const shares = open.map((l) => Math.floor((Math.min(amount, totalOpen) * remaining(l, refundOf)) / totalOpen));
      open.forEach((l, i) => {
        const s = shares[i] ?? 0;
        refundOf.set(l.line_no, (refundOf.get(l.line_no) ?? 0) + s);
        left -= s;
      });
      for (const l of open) {
        if (left <= 0) break;
        const room = remaining(l, refundOf);
        const add = Math.min(room, left);
        refundOf.set(l.line_no, (refundOf.get(l.line_no) ?? 0) + add);
        left -= add;
      }
    };
    if (input.lines && input.lines.length > 0) {
      for (const r of input.lines) {
        const amount = toProgramCurrency(r.amount);
        const line =
          (r.lineId ? lines.find((l) => l.line_id === r.lineId) : undefined) ??
          (r.productId
            ? lines.find(
                (l) =>
                  (l.product_id === r.productId || l.external_product_id === r.productId) && remaining(l, refundOf) > 0,
              )
            : undefined);
        if (line) refundOf.set(line.line_no, (refundOf.get(line.line_no) ?? 0) + amount);
        else spread(amount);
      }
    } else if (input.amount !== undefined) {
      spread(toProgramCurrency(input.amount));
    }

    // On PostgreSQL the entries are locked until the refund commits, so that a payout run taking
    // them waits for it (and sees its reversals), or the refund sees them in the payout.
    const entries = await repo.entriesOf(tx, conversion.id, dialect === 'postgres');
    const written: string[] = [];
    const now = clock.now();
    for (const line of lines) {
      const add = refundOf.get(line.line_no) ?? 0;
      if (add <= 0) continue;
      const refundedTotal = Math.min(line.amount, line.refunded_amount + add);
      if (refundedTotal === line.refunded_amount) continue;
      await tx
        .updateTable('conversion_lines')
        .set({ refunded_amount: refundedTotal })
        .where('conversion_id', '=', conversion.id)
        .where('line_no', '=', line.line_no)
        .execute();
      const originals = entries.filter(
        (e) => e.kind === 'sale' && e.line_no === line.line_no && e.status !== 'rejected',
      );
      for (const original of originals) {
        const already = -entries.filter((e) => e.reverses_id === original.id).reduce((s, e) => s + e.amount, 0);
        const due = reversalFor(original.amount, line.amount, refundedTotal, already);
        if (due === 0) continue;
        // An entry in a payout not yet paid counts as paid: the payout pays its whole amount, so
        // the refund becomes a negative entry that the next payout deducts.
        const wasPaid = original.status === 'paid' || original.payout_id !== null;
        const id = newId('commission', now.getTime());
        const status: CommissionStatus = wasPaid ? 'approved' : 'reversed';
        await insertEntry(tx, {
          id,
          workspace_id: original.workspace_id,
          program_id: original.program_id,
          creator_id: original.creator_id,
          conversion_id: conversion.id,
          refund_id: refundId,
          reverses_id: original.id,
          line_no: line.line_no,
          kind: 'reversal',
          amount: -due,
          currency: original.currency,
          status,
          base_amount: refundedTotal - line.refunded_amount,
          rate: null,
          rate_source: null,
          explanation: explainReversal({
            amount: -due,
            currency: original.currency,
            refunded: refundedTotal - line.refunded_amount,
            lineAmount: line.amount,
            lineName: line.name ?? line.external_product_id ?? `line ${line.line_no}`,
            refundId,
            wasPaid,
          }),
          hold_reason: null,
          hold_detail: null,
          approve_after: now.toISOString(),
        });
        entries.push({ ...original, id, reverses_id: original.id, kind: 'reversal', amount: -due, status });
        written.push(id);
        if (!wasPaid && already + due === original.amount && original.status !== 'reversed') {
          await tx
            .updateTable('commissions')
            .set({ status: 'reversed', updated_at: now.toISOString() })
            .where('id', '=', original.id)
            .execute();
          await repo.insertEvent(tx, {
            id: newId('commissionEvent'),
            commissionId: original.id,
            from: original.status,
            to: 'reversed',
            reason: `fully refunded (refund ${refundId})`,
            actor: `refund:${input.source}`,
            at: now.toISOString(),
          });
        }
      }
      line.refunded_amount = refundedTotal;
    }
    return written;
  }

  async function recordRefund(
    scope: WorkspaceScope,
    input: RefundInput,
    options?: RecordOptions,
  ): Promise<ConversionOutcome> {
    if (input.currency) checkCurrency(input.currency, 'currency');
    if (input.amount !== undefined) checkAmount(input.amount, 'amount');
    (input.lines ?? []).forEach((l, i) => {
      checkAmount(l.amount, `lines.${i}.amount`);
    });
    if ((!input.lines || input.lines.length === 0) && input.amount === undefined) {
      throw badInput('lines', 'a refund names its lines or an amount');
    }
    const at = occurredAt(input.occurredAt, clock);
    const print = fingerprint({
      orderId: input.orderId,
      currency: input.currency ?? null,
      lines: (input.lines ?? []).map((l) => [l.lineId ?? null, l.productId ?? null, l.amount]),
      amount: input.amount ?? null,
    });
    return recordIn(scope, options, async (tx) => {
      const program = await loadProgram(tx, scope, input.programId);
      await lockOrders(tx, program.id, [input.orderId]);
      const existing = await tx
        .selectFrom('refunds')
        .selectAll()
        .where('program_id', '=', program.id)
        .where('external_id', '=', input.refundId)
        .executeTakeFirst();
      if (existing) {
        if (existing.fingerprint !== print) {
          throw new AppError(
            'CONVERSION_CONFLICT',
            `Refund ${input.refundId} was already recorded with other contents`,
          );
        }
        const sale = existing.conversion_id
          ? await tx.selectFrom('conversions').selectAll().where('id', '=', existing.conversion_id).executeTakeFirst()
          : undefined;
        return {
          conversionId: sale?.id ?? null,
          duplicate: true,
          status: 'duplicate',
          attribution: sale?.attribution ?? null,
          creatorId: sale?.creator_id ?? null,
          commissionIds: [],
          summary: `refund ${input.refundId} was already recorded: nothing changed`,
        };
      }
      const sale = await repo.findSaleByOrder(tx, program.id, input.orderId);
      const total = input.amount ?? (input.lines ?? []).reduce((s, l) => s + l.amount, 0);
      await tx
        .insertInto('refunds')
        .values({
          id: newId('refund', at.getTime()),
          workspace_id: scope.workspaceId,
          program_id: program.id,
          external_id: input.refundId,
          order_id: input.orderId,
          conversion_id: sale?.id ?? null,
          fingerprint: print,
          source: input.source,
          request: JSON.stringify(input),
          amount: total,
          status: sale ? 'applied' : 'waiting',
          occurred_at: at.toISOString(),
          created_at: clock.now().toISOString(),
        })
        .execute();
      if (!sale) {
        return {
          conversionId: null,
          duplicate: false,
          status: 'refund_waiting_for_sale',
          attribution: null,
          creatorId: null,
          commissionIds: [],
          summary: `refund ${input.refundId} of order ${input.orderId} kept until the sale arrives`,
        };
      }
      const ids = await applyRefund(tx, sale, input.refundId, input);
      await settleNetworkFees(tx, sale.id, clock.now().toISOString());
      const reversed = ids.length
        ? (await tx.selectFrom('commissions').select('amount').where('id', 'in', ids).execute()).reduce(
            (s, r) => s + r.amount,
            0,
          )
        : 0;
      return {
        conversionId: sale.id,
        duplicate: false,
        status: 'recorded',
        attribution: sale.attribution,
        creatorId: sale.creator_id,
        commissionIds: ids,
        summary: `refund ${input.refundId} of order ${input.orderId}: ${money(reversed, sale.currency)} of commission reversed`,
      };
    });
  }

  async function recordLead(
    scope: WorkspaceScope,
    input: LeadInput,
    options?: RecordOptions,
  ): Promise<ConversionOutcome> {
    const at = occurredAt(input.occurredAt, clock);
    const print = fingerprint({
      clickId: input.clickId ?? null,
      codes: [...(input.couponCodes ?? [])].map((c) => c.trim().toUpperCase()).sort(),
      customerId: input.customerId ?? null,
      customerEmail: input.customerEmail?.trim().toLowerCase() ?? null,
    });
    return recordIn(scope, options, async (tx) => {
      const program = await loadProgram(tx, scope, input.programId);
      await lockOrders(tx, program.id, [`lead:${input.leadId}`]);
      const existing = await repo.findConversion(tx, program.id, 'lead', input.leadId);
      if (existing) {
        if (existing.fingerprint !== print) {
          throw new AppError('CONVERSION_CONFLICT', `Lead ${input.leadId} was already recorded with other contents`);
        }
        return outcomeOf(existing, 'lead', true, [], '');
      }
      const names = namesFor(tx);
      const customer = await touchCustomer(tx, program, input);
      const found = await candidates(tx, program, at, input, customer.row);
      // A lead is a first contact: a returning customer does not attribute it.
      const result = attribute(program, at, { ...found, customer: null });
      const winner = result.attributed ? result.creatorId : null;
      const conversion: repo.ConversionRow = {
        id: newId('conversion', at.getTime()),
        workspace_id: scope.workspaceId,
        program_id: program.id,
        kind: 'lead',
        external_id: input.leadId,
        fingerprint: print,
        source: input.source,
        currency: program.currency,
        amount: 0,
        original_currency: program.currency,
        original_amount: 0,
        exchange_rate: null,
        click_id: input.clickId ?? null,
        code_id: found.code?.codeId ?? null,
        code: found.code?.code ?? null,
        customer_id: null,
        subscription_id: null,
        referrer: null,
        creator_id: winner,
        attribution: result.attributed ? result.rule : null,
        evidence: JSON.stringify(result.attributed ? result.evidence : { reasons: result.reasons }),
        occurred_at: at.toISOString(),
        created_at: clock.now().toISOString(),
      };
      await insertRows(tx, 'conversions', [conversion]);
      const customerId = await rememberCustomer(
        tx,
        scope,
        program,
        input,
        customer,
        conversion.id,
        winner,
        conversion.occurred_at,
      );
      if (customerId) {
        conversion.customer_id = customerId;
        await tx.updateTable('conversions').set({ customer_id: customerId }).where('id', '=', conversion.id).execute();
      }
      const ids: string[] = [];
      let summary = `lead ${input.leadId}: unattributed`;
      if (result.attributed && winner) {
        const reward = program.leadRewardAmount ?? 0;
        summary = `lead ${input.leadId} ${await describeAttribution(names, conversion, result.evidence)}: ${
          reward > 0 ? `${money(reward, program.currency)} pending` : 'no lead reward in this program'
        }`;
        if (reward > 0) {
          const id = newId('commission', at.getTime());
          await insertEntry(tx, {
            id,
            workspace_id: scope.workspaceId,
            program_id: program.id,
            creator_id: winner,
            conversion_id: conversion.id,
            refund_id: null,
            reverses_id: null,
            line_no: null,
            kind: 'lead',
            amount: reward,
            currency: program.currency,
            status: 'pending',
            base_amount: 0,
            rate: JSON.stringify({ type: 'flat', amount: reward }),
            rate_source: 'program',
            explanation: explainLead({
              reward,
              currency: program.currency,
              leadId: input.leadId,
              attribution: result.evidence,
              creatorName: await names.creator(winner),
              linkSlug: found.click?.slug ?? null,
            }),
            hold_reason: null,
            hold_detail: null,
            approve_after: new Date(at.getTime() + program.holdingDays * DAY_MS).toISOString(),
          });
          ids.push(id);
        }
      }
      return outcomeOf(conversion, 'lead', false, ids, summary);
    });
  }

  return { recordSale, recordLead, recordRefund } satisfies ConversionsPort;
}

export type ConversionsService = ReturnType<typeof conversionsService>;
