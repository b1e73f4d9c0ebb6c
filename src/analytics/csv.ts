import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { AnalyticsAnswer, Metrics } from './schemas.js';
import { metricNames } from './schemas.js';

/** The columns of an analytics answer as CSV: key, label, then each metric asked for. */
export function answerColumns(answer: AnalyticsAnswer): string[] {
  const present = new Set(Object.keys(answer.totals));
  return ['key', 'label', ...metricNames.filter((m) => present.has(m))];
}

/**
 * An analytics answer as CSV rows, streamed: one header, a row per group, and a last row
 * `totals`. Amounts stay integers in minor units; empty cells are nulls.
 */
export function answerCsv(answer: AnalyticsAnswer): Readable {
  const columns = answerColumns(answer);
  const rows = function* () {
    for (const r of answer.data) yield r as Record<string, unknown>;
    yield { key: 'totals', label: `totals (${answer.currency ?? ''})`, ...(answer.totals as Partial<Metrics>) };
  };
  return Readable.from(rows(), { objectMode: true }).pipe(
    stringify({ header: true, columns, cast: { number: (n) => String(n) } }),
  );
}
