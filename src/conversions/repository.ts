import type { Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import { sql } from '../db/kysely.js';
import { inGroupsOf, prepared } from '../db/prepared.js';
import type { ConversionLinesTable, ConversionsTable, CustomersTable, RefundsTable } from '../db/schema.js';
import { insertRows } from '../db/statements.js';
import type { WorkspaceScope } from '../shared/principal.js';

export type ConversionRow = Selectable<ConversionsTable>;
export type LineRow = Selectable<ConversionLinesTable>;
/** What a delivery needs of a customer it has seen before: who won them, and when. */
export type CustomerRow = Pick<Selectable<CustomersTable>, 'id' | 'creator_id' | 'won_at'>;
const CUSTOMER_COLUMNS = ['id', 'creator_id', 'won_at'] as const;
export type RefundRow = Selectable<RefundsTable>;

const conversionByExternal = prepared<{ programId: string; kind: string; externalId: string }, ConversionRow>(
  ['programId', 'kind', 'externalId'],
  (db, v) =>
    db
      .selectFrom('conversions')
      .selectAll()
      .where('program_id', '=', v.programId)
      .where('kind', '=', v.kind as 'sale')
      .where('external_id', '=', v.externalId),
);

export async function findConversion(
  db: DbOrTx,
  programId: string,
  kind: 'sale' | 'lead',
  externalId: string,
): Promise<ConversionRow | undefined> {
  return conversionByExternal.first(db, { programId, kind, externalId });
}

/** A sale by its order id or one of the other ids the platform names it by. */
export async function findSaleByOrder(
  db: DbOrTx,
  programId: string,
  orderId: string,
): Promise<ConversionRow | undefined> {
  const direct = await findConversion(db, programId, 'sale', orderId);
  if (direct) return direct;
  const alias = await db
    .selectFrom('order_aliases')
    .select('conversion_id')
    .where('program_id', '=', programId)
    .where('alias', '=', orderId)
    .executeTakeFirst();
  if (!alias) return undefined;
  return db.selectFrom('conversions').selectAll().where('id', '=', alias.conversion_id).executeTakeFirst();
}

export async function insertAliases(db: DbOrTx, programId: string, conversionId: string, aliases: string[]) {
  for (const alias of aliases) {
    const taken = await db
      .selectFrom('order_aliases')
      .select('conversion_id')
      .where('program_id', '=', programId)
      .where('alias', '=', alias)
      .executeTakeFirst();
    if (!taken) {
      await db
        .insertInto('order_aliases')
        .values({ program_id: programId, alias, conversion_id: conversionId })
        .execute();
    }
  }
}

const customerByExternal = prepared<{ programId: string; externalId: string }, CustomerRow>(
  ['programId', 'externalId'],
  (db, v) =>
    db
      .selectFrom('customers')
      .select(CUSTOMER_COLUMNS)
      .where('program_id', '=', v.programId)
      .where('external_id', '=', v.externalId),
);

export async function findCustomer(
  db: DbOrTx,
  programId: string,
  externalId: string | null,
  emailHash: string | null,
): Promise<CustomerRow | undefined> {
  if (externalId) {
    const row = await customerByExternal.first(db, { programId, externalId });
    if (row) return row;
  }
  if (emailHash) {
    return db
      .selectFrom('customers')
      .select(CUSTOMER_COLUMNS)
      .where('program_id', '=', programId)
      .where('email_hash', '=', emailHash)
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
  }
  return undefined;
}

/** The first attributed sale of a subscription: the creator who brought it, and when. */
export async function firstSaleOfSubscription(db: DbOrTx, programId: string, subscriptionId: string) {
  return db
    .selectFrom('conversions')
    .select(['id', 'creator_id', 'occurred_at'])
    .where('program_id', '=', programId)
    .where('subscription_id', '=', subscriptionId)
    .where('creator_id', 'is not', null)
    .orderBy('occurred_at')
    .limit(1)
    .executeTakeFirst();
}

/** A creator's net sales in a program between two instants (this calendar month, say). */
export async function salesBetween(
  db: DbOrTx,
  programId: string,
  creatorId: string,
  from: string,
  to: string,
): Promise<number> {
  const row = await db
    .selectFrom('conversions')
    .select((eb) => eb.fn.sum<number | string | null>('amount').as('total'))
    .where('program_id', '=', programId)
    .where('creator_id', '=', creatorId)
    .where('kind', '=', 'sale')
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<', to)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

export async function linesOf(db: DbOrTx, conversionId: string): Promise<LineRow[]> {
  return db
    .selectFrom('conversion_lines')
    .selectAll()
    .where('conversion_id', '=', conversionId)
    .orderBy('line_no')
    .execute();
}

/** Waiting refunds of up to four order ids (an order and the other ids it is known by). */
const waitingRefundsOfOrders = prepared<
  { programId: string; o0: string; o1: string; o2: string; o3: string },
  RefundRow
>(['programId', 'o0', 'o1', 'o2', 'o3'], (db, v) =>
  db
    .selectFrom('refunds')
    .selectAll()
    .where('program_id', '=', v.programId)
    .where('order_id', 'in', [v.o0, v.o1, v.o2, v.o3])
    .where('status', '=', 'waiting')
    .orderBy('occurred_at')
    .orderBy('id'),
);

/** Waiting refunds of one order id: most orders are known by one, and every sale asks. */
const waitingRefundsOfOrder = prepared<{ programId: string; orderId: string }, RefundRow>(
  ['programId', 'orderId'],
  (db, v) =>
    db
      .selectFrom('refunds')
      .selectAll()
      .where('program_id', '=', v.programId)
      .where('order_id', '=', v.orderId)
      .where('status', '=', 'waiting')
      .orderBy('occurred_at')
      .orderBy('id'),
);

export async function waitingRefunds(db: DbOrTx, programId: string, orderIds: string[]): Promise<RefundRow[]> {
  const distinct = [...new Set(orderIds)];
  if (distinct.length === 1) return waitingRefundsOfOrder.run(db, { programId, orderId: distinct[0] as string });
  const groups = inGroupsOf(distinct, 4);
  const found: RefundRow[] = [];
  for (const group of groups) {
    const [o0, o1, o2, o3] = group as [string, string, string, string];
    found.push(...(await waitingRefundsOfOrders.run(db, { programId, o0, o1, o2, o3 })));
  }
  // One group comes in order already; the rows of several are put in the same order.
  const key = (r: RefundRow) => `${r.occurred_at}\u0000${r.id}`;
  if (groups.length > 1) found.sort((a, b) => (key(a) < key(b) ? -1 : 1));
  return found;
}

// ——— What a delivery looks up of the program it is for (compiled once: see prepared.ts). ———

export async function lockOrder(db: DbOrTx, programId: string, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${programId}:${key}`}, 0))`.execute(db);
}

// ——— Writes of a delivery. ———

export async function insertConversion(db: DbOrTx, row: ConversionRow): Promise<void> {
  await insertRows(db, 'conversions', [row]);
}

export async function insertLines(db: DbOrTx, rows: LineRow[]): Promise<void> {
  await insertRows(db, 'conversion_lines', rows);
}

export async function setConversionCustomer(db: DbOrTx, conversionId: string, customerId: string): Promise<void> {
  await db.updateTable('conversions').set({ customer_id: customerId }).where('id', '=', conversionId).execute();
}

export async function setRefunded(db: DbOrTx, conversionId: string, lineNo: number, refunded: number): Promise<void> {
  await db
    .updateTable('conversion_lines')
    .set({ refunded_amount: refunded })
    .where('conversion_id', '=', conversionId)
    .where('line_no', '=', lineNo)
    .execute();
}

export async function insertCustomer(db: DbOrTx, row: Selectable<CustomersTable>): Promise<void> {
  await insertRows(db, 'customers', [row]);
}

/** A customer nobody had won is won by `creatorId` at `at`. */
export async function setCustomerWinner(db: DbOrTx, customerId: string, creatorId: string, at: string): Promise<void> {
  await db.updateTable('customers').set({ creator_id: creatorId, won_at: at }).where('id', '=', customerId).execute();
}

export async function findRefund(db: DbOrTx, programId: string, externalId: string): Promise<RefundRow | undefined> {
  return db
    .selectFrom('refunds')
    .selectAll()
    .where('program_id', '=', programId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

export async function findConversionById(db: DbOrTx, id: string): Promise<ConversionRow | undefined> {
  return db.selectFrom('conversions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRefund(db: DbOrTx, row: RefundRow): Promise<void> {
  await db.insertInto('refunds').values(row).execute();
}

/** A refund kept until its sale arrived is applied to that sale. */
/** The edits already applied to a sale: each names the lines it took down and by how much. */
export async function editsOf(
  db: DbOrTx,
  conversionId: string,
): Promise<{ lines: { lineId: string; amount: number }[] }[]> {
  const rows = await db
    .selectFrom('refunds')
    .select('request')
    .where('conversion_id', '=', conversionId)
    .where('external_id', 'like', 'edit:%')
    .execute();
  return rows.map((r) => ({
    lines: (JSON.parse(r.request) as { lines?: { lineId: string; amount: number }[] }).lines ?? [],
  }));
}

/** The platform's latest change of a sale's order that a delivery has told of. */
export async function setSourceUpdatedAt(db: DbOrTx, id: string, at: string): Promise<void> {
  await db.updateTable('conversions').set({ source_updated_at: at }).where('id', '=', id).execute();
}

/** A sale read again after an edit: what it now says (its fingerprint) and its total. */
export async function setConversionEdited(db: DbOrTx, id: string, fingerprint: string, amount: number): Promise<void> {
  await db.updateTable('conversions').set({ fingerprint, amount }).where('id', '=', id).execute();
}

export async function setRefundApplied(db: DbOrTx, refundId: string, conversionId: string): Promise<void> {
  await db
    .updateTable('refunds')
    .set({ status: 'applied', conversion_id: conversionId })
    .where('id', '=', refundId)
    .execute();
}

// ——— What brands read of their conversions. ———

export async function conversionVisible(db: DbOrTx, scope: WorkspaceScope, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('conversions')
    .select('id')
    .where('id', '=', id)
    .where('workspace_id', '=', scope.workspaceId)
    .executeTakeFirst();
  return row !== undefined;
}

/** A conversion of the workspace; `undefined` for another's or none. */
export async function findWorkspaceConversion(
  db: DbOrTx,
  scope: WorkspaceScope,
  id: string,
): Promise<ConversionRow | undefined> {
  return db
    .selectFrom('conversions')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', scope.workspaceId)
    .executeTakeFirst();
}

export interface ConversionFilter {
  limit: number;
  before?: string | undefined;
  programId?: string | undefined;
  creatorId?: string | undefined;
  kind?: 'sale' | 'lead' | undefined;
  /** How it was attributed; `none` for those no creator earned. */
  attribution?: 'code' | 'click' | 'customer' | 'none' | undefined;
  /** Occurred at or after, and before (ISO 8601). */
  from?: string | undefined;
  to?: string | undefined;
}

/** A page of the workspace's conversions, newest first (by id). */
export async function listWorkspaceConversions(
  db: DbOrTx,
  scope: WorkspaceScope,
  opts: ConversionFilter,
): Promise<ConversionRow[]> {
  let q = db.selectFrom('conversions').selectAll().where('workspace_id', '=', scope.workspaceId);
  if (opts.before) q = q.where('id', '<', opts.before);
  if (opts.programId) q = q.where('program_id', '=', opts.programId);
  if (opts.creatorId) q = q.where('creator_id', '=', opts.creatorId);
  if (opts.kind) q = q.where('kind', '=', opts.kind);
  if (opts.attribution === 'none') q = q.where('attribution', 'is', null);
  else if (opts.attribution) q = q.where('attribution', '=', opts.attribution);
  if (opts.from) q = q.where('occurred_at', '>=', new Date(opts.from).toISOString());
  if (opts.to) q = q.where('occurred_at', '<', new Date(opts.to).toISOString());
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}
