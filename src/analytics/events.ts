import { Readable } from 'node:stream';
import type { DbOrTx } from '../db/database.js';

/**
 * The raw events of a period (clicks, conversions, commission entries) for a brand's own
 * warehouse, read a page at a time in id order: memory stays bounded whatever the period holds.
 */
export const eventKinds = ['clicks', 'conversions', 'commissions'] as const;
export type EventKind = (typeof eventKinds)[number];

export const eventColumns: Record<EventKind, string[]> = {
  clicks: [
    'id',
    'at',
    'program_id',
    'link_id',
    'creator_id',
    'content_id',
    'placement',
    'country',
    'device',
    'browser',
    'os',
    'referrer',
    'is_unique',
    'is_bot',
  ],
  conversions: [
    'id',
    'occurred_at',
    'program_id',
    'kind',
    'external_id',
    'creator_id',
    'attribution',
    'click_id',
    'code',
    'currency',
    'amount',
  ],
  commissions: [
    'id',
    'created_at',
    'program_id',
    'conversion_id',
    'creator_id',
    'kind',
    'line_no',
    'amount',
    'currency',
    'status',
    'reverses_id',
  ],
};

const timeColumn: Record<EventKind, string> = { clicks: 'at', conversions: 'occurred_at', commissions: 'created_at' };

export interface EventFilter {
  programIds: string[];
  creatorId?: string | undefined;
  /** [from, to) as ISO 8601. */
  from: string;
  to: string;
}

const PAGE = 2000;

export async function* eventPages(
  db: DbOrTx,
  kind: EventKind,
  f: EventFilter,
): AsyncGenerator<Record<string, unknown>[]> {
  if (f.programIds.length === 0) return;
  let after = '';
  const time = timeColumn[kind];
  for (;;) {
    // biome-ignore lint/suspicious/noExplicitAny: the table is one of three, chosen at run time; columns are listed above
    let q = (db as any)
      .selectFrom(kind)
      .select(eventColumns[kind])
      .where('program_id', 'in', f.programIds)
      .where(time, '>=', f.from)
      .where(time, '<', f.to)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE);
    if (f.creatorId) q = q.where('creator_id', '=', f.creatorId);
    const rows = (await q.execute()) as Record<string, unknown>[];
    if (rows.length === 0) return;
    after = String(rows[rows.length - 1]?.id);
    yield rows;
    if (rows.length < PAGE) return;
  }
}

export async function countEvents(db: DbOrTx, kind: EventKind, f: EventFilter): Promise<number> {
  if (f.programIds.length === 0) return 0;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  let q = (db as any)
    .selectFrom(kind)
    .select((eb: { fn: { countAll: () => { as: (n: string) => unknown } } }) => eb.fn.countAll().as('n'))
    .where('program_id', 'in', f.programIds)
    .where(timeColumn[kind], '>=', f.from)
    .where(timeColumn[kind], '<', f.to);
  if (f.creatorId) q = q.where('creator_id', '=', f.creatorId);
  const row = (await q.executeTakeFirst()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/** A CSV cell: empty for null, quoted where the value holds a comma, a quote or a line break. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const text = String(v);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The events as a CSV stream; `onRows` is told how many have gone out. Each page of rows becomes
 * one text chunk at once and the page is let go; the next page is read only when the reader has
 * taken the chunk (the stream's backpressure), so memory holds about one page whatever the period.
 */
export function eventsCsv(db: DbOrTx, kind: EventKind, f: EventFilter, onRows?: (n: number) => void): Readable {
  const columns = eventColumns[kind];
  let sent = 0;
  const chunks = async function* () {
    yield `${columns.join(',')}\n`;
    for await (const page of eventPages(db, kind, f)) {
      let text = '';
      for (const r of page) text += `${columns.map((c) => csvCell(r[c])).join(',')}\n`;
      sent += page.length;
      yield text;
      onRows?.(sent);
    }
  };
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 1 });
}
