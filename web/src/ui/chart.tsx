import 'uplot/dist/uPlot.min.css';
import '../charts.css';
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import { Table } from './pages.js';

export interface Series {
  /** One value per bucket; null where there is no number (no clicks are tracked there, say). */
  values: (number | null)[];
  label: string;
}

/**
 * A small line chart of one metric over the period, with the previous period drawn beside it (the
 * same number of buckets, aligned by position: day 1 with day 1). uPlot draws it on a canvas; the
 * numbers are also in a table for screen readers and for anyone who wants them exactly.
 */
export function TrendChart({
  buckets,
  current,
  previous,
  format,
  label,
  bucketLabel,
}: {
  /** The current period's buckets, as dates (YYYY-MM-DD). */
  buckets: string[];
  current: Series;
  previous: Series;
  format: (n: number) => string;
  label: string;
  bucketLabel: (key: string) => string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<number | null>(null);
  // The formatter changes with the language; the chart reads it through a ref, never rebuilt for it.
  const formatRef = useRef(format);
  formatRef.current = format;
  const bucketRef = useRef(bucketLabel);
  bucketRef.current = bucketLabel;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = buckets.map((_, i) => i);
    const styles = getComputedStyle(el);
    const accent = styles.getPropertyValue('--chart-current').trim() || '#2f5bea';
    const muted = styles.getPropertyValue('--chart-previous').trim() || '#9aa3b2';
    const grid = styles.getPropertyValue('--chart-grid').trim() || '#e6e8ee';
    const axis = { stroke: styles.color, grid: { stroke: grid, width: 1 }, ticks: { show: false } };
    const plot = new uPlot(
      {
        width: Math.max(el.clientWidth, 200),
        height: 160,
        legend: { show: false },
        cursor: { y: false, points: { size: 6 } },
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [
          {
            ...axis,
            space: 60,
            values: (_u, splits) => splits.map((i) => (buckets[i] !== undefined ? bucketRef.current(buckets[i]) : '')),
          },
          { ...axis, size: 64, values: (_u, splits) => splits.map((v) => formatRef.current(v)) },
        ],
        series: [
          {},
          { label: previous.label, stroke: muted, width: 1.5, dash: [4, 4], points: { show: false } },
          { label: current.label, stroke: accent, width: 2, fill: `${accent}1a`, points: { show: false } },
        ],
        hooks: { setCursor: [(u) => setHover(u.cursor.idx ?? null)] },
      },
      [xs, previous.values, current.values] as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height: 160 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [buckets, current, previous]);

  const at = hover ?? buckets.length - 1;
  const shown = (v: number | null | undefined) => (v === null || v === undefined ? '–' : format(v));
  return (
    <figure className="chart">
      <figcaption className="chart-legend">
        <span className="legend-item">
          <span className="swatch swatch-current" aria-hidden="true" />
          {current.label} <strong>{shown(current.values[at])}</strong>
        </span>
        <span className="legend-item">
          <span className="swatch swatch-previous" aria-hidden="true" />
          {previous.label} {shown(previous.values[at])}
        </span>
        {buckets[at] && <span className="legend-item legend-day">{bucketLabel(buckets[at])}</span>}
      </figcaption>
      <div ref={box} className="chart-canvas" role="img" aria-label={label} />
      <details className="chart-table">
        <summary>{label}</summary>
        <Table
          rows={buckets.map((bucket, i) => ({ bucket, i }))}
          rowKey={(r) => r.bucket}
          columns={[
            { head: '#', rowHeader: true, cell: (r) => bucketLabel(r.bucket) },
            { head: current.label, num: true, cell: (r) => shown(current.values[r.i]) },
            { head: previous.label, num: true, cell: (r) => shown(previous.values[r.i]) },
          ]}
        />
      </details>
    </figure>
  );
}

/** Shares of a whole as horizontal bars (countries, devices): text first, the bar only shows it. */
export function Breakdown({
  rows,
  format,
  caption,
}: {
  rows: { key: string; label: string; value: number }[];
  format: (n: number) => string;
  caption: string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <table className="table breakdown">
      <caption className="sr-only">{caption}</caption>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td className="bar-cell">
              <span className="bar" style={{ width: `${(100 * r.value) / max}%` }} />
            </td>
            <td className="num">{format(r.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
