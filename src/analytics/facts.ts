/**
 * What one attributed conversion adds to analytics, as pure data: the conversion's context (its
 * creator, and the link, video, code, country… it came through), its lines, and the commissions
 * it earned net of reversals. The rollups, the recount that checks them and the queries that
 * read raw rows all derive their numbers from these facts, in this one file.
 */

/** The dimensions a conversion's numbers are filed under, besides time and creator. */
export const saleDimensions = [
  'link',
  'content',
  'code',
  'product',
  'country',
  'device',
  'browser',
  'os',
  'referrer',
  'placement',
] as const;
export type SaleDimension = (typeof saleDimensions)[number];

/** Additive numbers of conversions. */
export interface SaleCounts {
  leads: number;
  sales: number;
  gmv: number;
  refunds: number;
  commissions: number;
}

export const zeroSales = (): SaleCounts => ({ leads: 0, sales: 0, gmv: 0, refunds: 0, commissions: 0 });

export interface ConversionLineFact {
  productId: string | null;
  amount: number;
  refunded: number;
  /** Commission of the line: earned by entries not rejected, net of their reversals. */
  commission: number;
}

export interface ConversionFact {
  conversionId: string;
  programId: string;
  creatorId: string;
  kind: 'sale' | 'lead';
  /** The UTC hour the conversion occurred in, `YYYY-MM-DDTHH`: its refunds and reversals count there too. */
  hour: string;
  /** When it occurred, in milliseconds. */
  at: number;
  /** Dimension values; '' where the conversion has none (a sale by code has no link). */
  context: Record<Exclude<SaleDimension, 'product'>, string>;
  lines: ConversionLineFact[];
  /** Commission not tied to a line (a lead's reward). */
  otherCommission: number;
}

/** The dimensions under which the rollup also holds the program's totals, as creator `PROGRAM`. */
export const programDimensions = ['all', 'country', 'device'] as const;
/** The creator id of the program's totals in the rollup. */
export const PROGRAM = '';

/**
 * One additive row of the rollup: `dimension` 'all' (value '') holds the creator's totals, and
 * creator `PROGRAM` the program's (under `programDimensions` only).
 */
export interface SaleRow extends SaleCounts {
  programId: string;
  hour: string;
  dimension: SaleDimension | 'all';
  value: string;
  creatorId: string;
}

const SEP = '\u0000';
export const saleRowKey = (r: Pick<SaleRow, 'programId' | 'dimension' | 'hour' | 'value' | 'creatorId'>) =>
  `${r.programId}${SEP}${r.dimension}${SEP}${r.hour}${SEP}${r.value}${SEP}${r.creatorId}`;

function countsOf(fact: ConversionFact, lines: ConversionLineFact[], withOther: boolean): SaleCounts {
  const c = zeroSales();
  if (fact.kind === 'lead') c.leads = 1;
  else c.sales = 1;
  for (const l of lines) {
    if (fact.kind === 'sale') {
      c.gmv += l.amount;
      c.refunds += l.refunded;
    }
    c.commissions += l.commission;
  }
  if (withOther) c.commissions += fact.otherCommission;
  return c;
}

/**
 * The rollup rows one conversion contributes. A sale counts once in each group it belongs to;
 * by product, once for each product it holds, with that product's lines only.
 */
export function rowsOf(fact: ConversionFact): SaleRow[] {
  const base = { programId: fact.programId, hour: fact.hour, creatorId: fact.creatorId };
  const all = countsOf(fact, fact.lines, true);
  const rows: SaleRow[] = [{ ...base, dimension: 'all', value: '', ...all }];
  for (const dimension of saleDimensions) {
    if (dimension === 'product') continue;
    const value = fact.context[dimension];
    if (value !== '') rows.push({ ...base, dimension, value, ...all });
  }
  const products = new Map<string, ConversionLineFact[]>();
  for (const l of fact.lines) {
    if (!l.productId) continue;
    const list = products.get(l.productId) ?? [];
    list.push(l);
    products.set(l.productId, list);
  }
  for (const [productId, lines] of products) {
    rows.push({ ...base, dimension: 'product', value: productId, ...countsOf(fact, lines, false) });
  }
  // The program's totals, creator '': a program's dashboard reads one row per hour and value.
  for (const r of rows.slice()) {
    if ((programDimensions as readonly string[]).includes(r.dimension)) rows.push({ ...r, creatorId: PROGRAM });
  }
  return rows;
}

/** Adds rows into a map by key; `sign` -1 takes them away. */
export function accumulate(into: Map<string, SaleRow>, rows: SaleRow[], sign: 1 | -1 = 1): void {
  for (const r of rows) {
    const key = saleRowKey(r);
    let t = into.get(key);
    if (!t) {
      t = { ...r, ...zeroSales() };
      into.set(key, t);
    }
    t.leads += sign * r.leads;
    t.sales += sign * r.sales;
    t.gmv += sign * r.gmv;
    t.refunds += sign * r.refunds;
    t.commissions += sign * r.commissions;
  }
}

export const isZero = (c: SaleCounts) =>
  c.leads === 0 && c.sales === 0 && c.gmv === 0 && c.refunds === 0 && c.commissions === 0;

/** What changes in the rollup when a conversion's facts go from `before` to `after`. */
export function rollupDelta(before: ConversionFact | undefined, after: ConversionFact | undefined): SaleRow[] {
  const delta = new Map<string, SaleRow>();
  if (before) accumulate(delta, rowsOf(before), -1);
  if (after) accumulate(delta, rowsOf(after), 1);
  return [...delta.values()].filter((r) => !isZero(r));
}

/** Commission entries of a conversion, as the ledger holds them. */
export interface EntryFact {
  id: string;
  kind: 'sale' | 'lead' | 'reversal';
  lineNo: number | null;
  amount: number;
  status: string;
  reversesId: string | null;
}

/**
 * Net commission per line (and `null` for entries tied to no line): what entries not rejected
 * earned, with their reversals taken away. A rejected commission and its reversals count nothing.
 */
export function netCommissions(entries: EntryFact[]): Map<number | null, number> {
  const rejected = new Set(entries.filter((e) => e.kind !== 'reversal' && e.status === 'rejected').map((e) => e.id));
  const net = new Map<number | null, number>();
  for (const e of entries) {
    if (e.kind === 'reversal' ? e.reversesId !== null && rejected.has(e.reversesId) : rejected.has(e.id)) continue;
    net.set(e.lineNo, (net.get(e.lineNo) ?? 0) + e.amount);
  }
  return net;
}
