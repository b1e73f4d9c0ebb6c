import type { Selectable } from 'kysely';
import type { DbOrTx } from '../db/database.js';
import { inGroupsOf, prepared } from '../db/prepared.js';
import type {
  CommissionsTable,
  ConversionLinesTable,
  ConversionsTable,
  CustomersTable,
  RefundsTable,
} from '../db/schema.js';

export type ConversionRow = Selectable<ConversionsTable>;
export type LineRow = Selectable<ConversionLinesTable>;
/** What a delivery needs of a customer it has seen before: who won them, and when. */
export type CustomerRow = Pick<Selectable<CustomersTable>, 'id' | 'creator_id' | 'won_at'>;
const CUSTOMER_COLUMNS = ['id', 'creator_id', 'won_at'] as const;
export type RefundRow = Selectable<RefundsTable>;
export type CommissionRow = Selectable<CommissionsTable>;

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

export async function entriesOf(db: DbOrTx, conversionId: string, lock = false): Promise<CommissionRow[]> {
  const q = db.selectFrom('commissions').selectAll().where('conversion_id', '=', conversionId).orderBy('id');
  return (lock ? q.forUpdate() : q).execute();
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

export async function insertEvent(
  db: DbOrTx,
  e: {
    id: string;
    commissionId: string;
    from: CommissionsTable['status'] | null;
    to: CommissionsTable['status'];
    reason: string | null;
    actor: string;
    at: string;
  },
) {
  await db
    .insertInto('commission_events')
    .values({
      id: e.id,
      commission_id: e.commissionId,
      from_status: e.from,
      to_status: e.to,
      reason: e.reason,
      actor: e.actor,
      at: e.at,
    })
    .execute();
}
