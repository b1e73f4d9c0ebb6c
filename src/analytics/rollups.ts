import type { Kysely } from 'kysely';
import { deferToCommit } from '../db/batch-writes.js';
import type { DbOrTx } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import {
  accumulate,
  type ConversionFact,
  type EntryFact,
  isZero,
  netCommissions,
  rollupDelta,
  type SaleRow,
  saleRowKey,
} from './facts.js';

/**
 * The additive rollups of attributed conversions (`conversion_stats_hourly`), kept exact by the
 * transaction that changes a conversion: it reads the conversion's facts before and after its
 * change and adds the difference, so a dashboard is never behind the ledger. The one writer of
 * the table.
 */

export interface ConversionRowFact {
  id: string;
  program_id: string;
  kind: 'sale' | 'lead';
  creator_id: string | null;
  click_id: string | null;
  code_id: string | null;
  occurred_at: string;
}

/** A conversion with its click and its code's video, in one lookup. */
const conversionWithContext = prepared<
  { id: string },
  {
    id: string;
    program_id: string;
    kind: 'sale' | 'lead';
    creator_id: string | null;
    click_id: string | null;
    code_id: string | null;
    occurred_at: string;
    link_id: string | null;
    click_program_id: string | null;
    click_content_id: string | null;
    placement: string | null;
    country: string | null;
    device: string | null;
    browser: string | null;
    os: string | null;
    referrer: string | null;
    code_content_id: string | null;
  }
>(['id'], (db, v) =>
  db
    .selectFrom('conversions as v')
    .leftJoin('clicks as k', 'k.id', 'v.click_id')
    .leftJoin('codes as d', 'd.id', 'v.code_id')
    .select([
      'v.id',
      'v.program_id',
      'v.kind',
      'v.creator_id',
      'v.click_id',
      'v.code_id',
      'v.occurred_at',
      'k.link_id',
      'k.program_id as click_program_id',
      'k.content_id as click_content_id',
      'k.placement',
      'k.country',
      'k.device',
      'k.browser',
      'k.os',
      'k.referrer',
      'd.content_id as code_content_id',
    ])
    .where('v.id', '=', v.id),
);

export type ClickRowFact = {
  link_id: string;
  program_id: string;
  content_id: string | null;
  placement: string;
  country: string;
  device: string;
  browser: string;
  os: string;
  referrer: string;
};

const linesOf = prepared<
  { id: string },
  { line_no: number; product_id: string | null; amount: number; refunded_amount: number }
>(['id'], (db, v) =>
  db
    .selectFrom('conversion_lines')
    .select(['line_no', 'product_id', 'amount', 'refunded_amount'])
    .where('conversion_id', '=', v.id),
);

const entriesOf = prepared<
  { id: string },
  {
    id: string;
    kind: 'sale' | 'lead' | 'reversal';
    line_no: number | null;
    amount: number;
    status: string;
    reverses_id: string | null;
  }
>(['id'], (db, v) =>
  db
    .selectFrom('commissions')
    .select(['id', 'kind', 'line_no', 'amount', 'status', 'reverses_id'])
    .where('conversion_id', '=', v.id),
);

export type LineRowFact = Awaited<ReturnType<typeof linesOf.run>>[number];
export type EntryRowFact = Awaited<ReturnType<typeof entriesOf.run>>[number];

/** A conversion's facts from its stored rows; undefined for one not attributed. */
export function factFrom(
  c: ConversionRowFact,
  click: ClickRowFact | undefined,
  codeContentId: string | null | undefined,
  lines: LineRowFact[],
  entryRows: EntryRowFact[],
): ConversionFact | undefined {
  if (!c.creator_id) return undefined;
  const fromClick = click && click.program_id === c.program_id ? click : undefined;
  const entries = entryRows.map(
    (e): EntryFact => ({
      id: e.id,
      kind: e.kind,
      lineNo: e.line_no === null ? null : Number(e.line_no),
      amount: Number(e.amount),
      status: e.status,
      reversesId: e.reverses_id,
    }),
  );
  const net = netCommissions(entries);
  const lineNos = new Set(lines.map((l) => Number(l.line_no)));
  let other = 0;
  for (const [lineNo, amount] of net) if (lineNo === null || !lineNos.has(lineNo)) other += amount;
  return {
    conversionId: c.id,
    programId: c.program_id,
    creatorId: c.creator_id,
    kind: c.kind,
    hour: new Date(c.occurred_at).toISOString().slice(0, 13),
    at: Date.parse(c.occurred_at),
    context: {
      link: fromClick?.link_id ?? '',
      content: fromClick?.content_id ?? codeContentId ?? '',
      code: c.code_id ?? '',
      country: fromClick?.country ?? '',
      device: fromClick?.device ?? '',
      browser: fromClick?.browser ?? '',
      os: fromClick?.os ?? '',
      referrer: fromClick?.referrer ?? '',
      placement: fromClick?.placement ?? '',
    },
    lines: [...lines]
      .sort((a, b) => Number(a.line_no) - Number(b.line_no))
      .map((l) => ({
        productId: l.product_id,
        amount: Number(l.amount),
        refunded: Number(l.refunded_amount),
        commission: net.get(Number(l.line_no)) ?? 0,
      })),
    otherCommission: other,
  };
}

/** A conversion's facts as stored now; undefined for one not attributed (or not there). Three lookups. */
export async function conversionFact(db: DbOrTx, conversionId: string): Promise<ConversionFact | undefined> {
  const c = await conversionWithContext.first(db, { id: conversionId });
  if (!c?.creator_id) return undefined;
  const click: ClickRowFact | undefined =
    c.link_id !== null && c.click_program_id !== null
      ? {
          link_id: c.link_id,
          program_id: c.click_program_id,
          content_id: c.click_content_id,
          placement: c.placement ?? '',
          country: c.country ?? '',
          device: c.device ?? '',
          browser: c.browser ?? '',
          os: c.os ?? '',
          referrer: c.referrer ?? '',
        }
      : undefined;
  const lines = await linesOf.run(db, { id: conversionId });
  const entries = await entriesOf.run(db, { id: conversionId });
  return factFrom(c, click, c.code_content_id, lines, entries);
}

/** A rollup row as the table's columns. */
export const rollupColumns = (r: SaleRow) => ({
  program_id: r.programId,
  dimension: r.dimension,
  hour: r.hour,
  value: r.value,
  creator_id: r.creatorId,
  leads: r.leads,
  sales: r.sales,
  gmv: r.gmv,
  refunds: r.refunds,
  commissions: r.commissions,
});

/** Inserts rows, adding each one's counts to the row of its key where there is one. */
const upsert = (db: Kysely<Database>, rows: ReturnType<typeof rollupColumns>[]) =>
  db
    .insertInto('conversion_stats_hourly')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['program_id', 'dimension', 'hour', 'value', 'creator_id']).doUpdateSet((eb) => ({
        leads: eb('conversion_stats_hourly.leads', '+', eb.ref('excluded.leads')),
        sales: eb('conversion_stats_hourly.sales', '+', eb.ref('excluded.sales')),
        gmv: eb('conversion_stats_hourly.gmv', '+', eb.ref('excluded.gmv')),
        refunds: eb('conversion_stats_hourly.refunds', '+', eb.ref('excluded.refunds')),
        commissions: eb('conversion_stats_hourly.commissions', '+', eb.ref('excluded.commissions')),
      })),
    );

// The row's fields as a plain object type, which the prepared query's values must be.
const addRow = prepared<{ [K in keyof SaleRow]: SaleRow[K] }, never>(
  ['programId', 'dimension', 'hour', 'value', 'creatorId', 'leads', 'sales', 'gmv', 'refunds', 'commissions'],
  (db, v) => upsert(db, [rollupColumns(v)]),
);

/**
 * Adds rows to the rollup, one compiled statement run per row, in key order (concurrent writers
 * on PostgreSQL then lock rows in one order).
 */
export async function addToRollup(db: DbOrTx, rows: SaleRow[]): Promise<void> {
  if (rows.length === 0) return;
  // Rows of one key (a batch's sales of one creator in one hour) are added up first.
  const merged = new Map<string, SaleRow>();
  accumulate(merged, rows);
  const sorted = [...merged.values()]
    .filter((r) => !isZero(r))
    .sort((a, b) => (saleRowKey(a) < saleRowKey(b) ? -1 : 1));
  // SQLite runs each compiled statement in microseconds; PostgreSQL pays a round trip for each,
  // so there the rows go in one statement.
  if (db.getExecutor().adapter.constructor.name === 'SqliteAdapter') {
    for (const r of sorted) await addRow.run(db, r);
    return;
  }
  if (sorted.length > 0) await upsert(db, sorted.map(rollupColumns)).execute();
}

/**
 * Brings the rollup up to date with a conversion after a change in the same transaction:
 * `before` is its facts as they were (undefined for a conversion just written).
 */
export async function rollUp(db: DbOrTx, conversionId: string, before?: ConversionFact): Promise<void> {
  const after = await conversionFact(db, conversionId);
  const delta = rollupDelta(before, after);
  // In a group commit (SQLite), the batch's deltas are added up and written once before it
  // commits: one upsert per key for the whole batch instead of one per sale.
  if (!deferToCommit(db, addToRollup, delta)) await addToRollup(db, delta);
}

/** Runs a change of existing conversions (a refund, a rejection) and keeps their rollups exact. */
export async function rollingUp<T>(db: DbOrTx, conversionIds: readonly string[], change: () => Promise<T>): Promise<T> {
  const ids = [...new Set(conversionIds)];
  const before: (ConversionFact | undefined)[] = [];
  for (const id of ids) before.push(await conversionFact(db, id));
  const result = await change();
  for (let i = 0; i < ids.length; i++) await rollUp(db, ids[i] as string, before[i]);
  return result;
}
