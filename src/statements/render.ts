/** Statements as CSV (amounts as plain decimals) and as printable HTML (en, fi). */
import { day, escapeHtml, money } from '../mail/format.js';
import type { Locale } from '../mail/kinds.js';
import { formatAmount } from '../shared/money.js';
import type { BrandStatement, StatementPayout } from './brand-statement.js';
import type { CreatorStatement } from './creator-statement.js';
import { labels } from './labels.js';

/** A CSV cell, quoted when needed; a leading =, +, - or @ is quoted so spreadsheets do not run it. */
function cell(value: string | number | null): string {
  const v = value === null ? '' : String(value);
  return /[",\r\n]/.test(v) || /^[=+@\t]/.test(v) || /^-\D/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}
const csv = (rows: (string | number | null)[][]) => `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;

export function creatorCsv(s: CreatorStatement): string {
  const rows: (string | number | null)[][] = [
    ['section', 'date', 'id', 'order', 'kind', 'status', 'amount', 'currency', 'explanation'],
  ];
  for (const e of s.entries) {
    rows.push([
      'entry',
      e.at,
      e.id,
      e.orderId,
      e.kind,
      e.status,
      formatAmount(e.amount, s.currency),
      s.currency,
      e.explanation,
    ]);
  }
  for (const c of s.changes) {
    rows.push(['change', c.at, c.commissionId, null, `${c.from ?? ''}->${c.to}`, c.to, null, null, c.reason]);
  }
  for (const [k, v] of Object.entries(s.totals))
    rows.push(['total', null, null, null, k, null, formatAmount(v, s.currency), s.currency, null]);
  for (const [k, v] of Object.entries(s.closing))
    rows.push(['closing', null, null, null, null, k, formatAmount(v, s.currency), s.currency, null]);
  for (const p of s.payouts) {
    rows.push([
      'payout',
      p.paidAt ?? p.failedAt ?? p.createdAt,
      p.id,
      p.reference,
      p.method,
      p.status,
      formatAmount(p.amount, p.currency),
      p.currency,
      p.failureReason,
    ]);
    // The VAT the payout's amount includes, on a line of its own (the commissions are amount − VAT).
    if (p.vatAmount !== 0) {
      rows.push([
        'payout_vat',
        null,
        p.id,
        null,
        'vat',
        p.status,
        formatAmount(p.vatAmount, p.currency),
        p.currency,
        null,
      ]);
    }
  }
  return csv(rows);
}

export function brandCsv(s: BrandStatement): string {
  const rows: (string | number | null)[][] = [
    [
      'program_id',
      'program',
      'currency',
      'sales',
      'sales_amount',
      'attributed_sales',
      'attributed_amount',
      'commissions_earned',
      'commissions_reversed',
      'payouts_paid',
      'payouts_paid_amount',
    ],
  ];
  for (const p of s.programs) {
    rows.push([
      p.programId,
      p.programName,
      p.currency,
      p.sales,
      formatAmount(p.salesAmount, p.currency),
      p.attributedSales,
      formatAmount(p.attributedAmount, p.currency),
      formatAmount(p.commissionsEarned, p.currency),
      formatAmount(p.commissionsReversed, p.currency),
      p.payoutsPaid,
      formatAmount(p.payoutsPaidAmount, p.currency),
    ]);
  }
  rows.push([]);
  rows.push(['network_fee_id', 'date', 'kind', 'amount', 'currency', 'explanation']);
  for (const f of s.networkFees)
    rows.push([f.id, f.at, f.kind, formatAmount(f.amount, f.currency), f.currency, f.explanation]);
  rows.push([]);
  rows.push([
    'payout_id',
    'program_id',
    'creator_id',
    'creator',
    'created_at',
    'paid_at',
    'failed_at',
    'method',
    'status',
    'amount',
    'currency',
    'reference',
    'failure_reason',
    'commission_amount',
    'vat_amount',
  ]);
  for (const p of s.payouts) {
    rows.push([
      p.id,
      p.programId,
      p.creatorId,
      p.creatorName,
      p.createdAt,
      p.paidAt,
      p.failedAt,
      p.method,
      p.status,
      formatAmount(p.amount, p.currency),
      p.currency,
      p.reference,
      p.failureReason,
      formatAmount(p.commissionAmount, p.currency),
      formatAmount(p.vatAmount, p.currency),
    ]);
  }
  return csv(rows);
}

const style = `body{font-family:system-ui,sans-serif;color:#1b1b1b;margin:2rem;font-size:14px}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
dt{color:#555}dd{margin:0}@media print{body{margin:0}a{color:inherit}}`;

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html>\n<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${style}</style></head>\n<body>\n${body}\n</body></html>\n`;
}

function table(head: string[], rows: string[][], numeric: number[] = []): string {
  const th = head.map((h, i) => `<th${numeric.includes(i) ? ' class="n"' : ''}>${escapeHtml(h)}</th>`).join('');
  const tr = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="n"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

function monthName(locale: Locale, month: string): string {
  return new Intl.DateTimeFormat(locale === 'fi' ? 'fi-FI' : 'en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${month}-01T00:00:00Z`));
}

/** The payouts of a month as a table: when, whose (for a brand), how, its status, the amount. */
function payoutsTable(locale: Locale, payouts: StatementPayout[], withCreator: boolean): string {
  const l = labels[locale];
  if (payouts.length === 0) return `<p>${l.none}</p>`;
  // VAT added on top by a creator's invoice gets its own column, shown when a payout has any.
  const vat = payouts.some((p) => p.vatAmount !== 0);
  const head = [
    l.date,
    ...(withCreator ? [l.creator] : []),
    l.method,
    l.status,
    l.reference,
    ...(vat ? [l.commissions, l.vat] : []),
    l.amount,
  ];
  const rows = payouts.map((p) => [
    day(locale, p.paidAt ?? p.failedAt ?? p.createdAt),
    ...(withCreator ? [p.creatorName] : []),
    p.method,
    l.statuses[p.status] ?? p.status,
    p.status === 'failed' ? (p.failureReason ?? '') : (p.reference ?? ''),
    ...(vat ? [money(locale, p.commissionAmount, p.currency), money(locale, p.vatAmount, p.currency)] : []),
    money(locale, p.amount, p.currency),
  ]);
  const numeric = vat ? [head.length - 3, head.length - 2, head.length - 1] : [head.length - 1];
  return table(head, rows, numeric);
}

export function creatorHtml(s: CreatorStatement, locale: Locale): string {
  const l = labels[locale];
  const m = (a: number) => money(locale, a, s.currency);
  const parts = [
    `<h1>${escapeHtml(l.creatorTitle)}: ${escapeHtml(monthName(locale, s.month))}</h1>`,
    `<dl><dt>${l.creator}</dt><dd>${escapeHtml(s.creator.name)}</dd><dt>${l.program}</dt><dd>${escapeHtml(s.program.name)}</dd><dt>${l.brand}</dt><dd>${escapeHtml(s.program.brand)}</dd></dl>`,
    `<h2>${l.entries}</h2>`,
    s.entries.length
      ? table(
          [l.date, l.order, l.kind, l.status, l.amount, l.explanation],
          s.entries.map((e) => [
            day(locale, e.at),
            e.orderId,
            l.kinds[e.kind] ?? e.kind,
            l.statuses[e.status] ?? e.status,
            m(e.amount),
            e.explanation,
          ]),
          [4],
        )
      : `<p>${l.none}</p>`,
  ];
  if (s.changes.length) {
    parts.push(
      `<h2>${l.changes}</h2>`,
      table(
        [l.date, 'ID', l.status, l.explanation],
        s.changes.map((c) => [
          day(locale, c.at),
          c.commissionId,
          `${c.from ? `${l.statuses[c.from] ?? c.from} → ` : ''}${l.statuses[c.to] ?? c.to}`,
          c.reason ?? '',
        ]),
      ),
    );
  }
  parts.push(
    `<h2>${l.total}</h2>`,
    table([l.earned, l.reversed, l.net], [[m(s.totals.earned), m(s.totals.reversed), m(s.totals.net)]], [0, 1, 2]),
    `<h2>${l.closing}</h2>`,
    table(
      [l.statuses.pending ?? '', l.statuses.approved ?? '', l.statuses.paid ?? ''],
      [[m(s.closing.pending), m(s.closing.approved), m(s.closing.paid)]],
      [0, 1, 2],
    ),
    `<h2>${l.payouts}</h2>`,
    payoutsTable(locale, s.payouts, false),
  );
  return page(locale, `${l.creatorTitle} ${s.month}`, parts.join('\n'));
}

export function brandHtml(s: BrandStatement, locale: Locale): string {
  const l = labels[locale];
  const parts = [
    `<h1>${escapeHtml(l.brandTitle)}: ${escapeHtml(monthName(locale, s.month))}</h1>`,
    `<dl><dt>${l.brand}</dt><dd>${escapeHtml(s.workspace.name)}</dd></dl>`,
    `<h2>${l.program}</h2>`,
    table(
      [
        l.program,
        l.sales,
        l.salesAmount,
        l.attributedSales,
        l.attributedAmount,
        l.commissionsEarned,
        l.commissionsReversed,
        l.payouts,
        l.payoutsAmount,
      ],
      s.programs.map((p) => {
        const m = (a: number) => money(locale, a, p.currency);
        return [
          p.programName,
          String(p.sales),
          m(p.salesAmount),
          String(p.attributedSales),
          m(p.attributedAmount),
          m(p.commissionsEarned),
          m(p.commissionsReversed),
          String(p.payoutsPaid),
          m(p.payoutsPaidAmount),
        ];
      }),
      [1, 2, 3, 4, 5, 6, 7, 8],
    ),
    `<h2>${l.payouts}</h2>`,
    payoutsTable(locale, s.payouts, true),
    `<h2>${l.networkFees}</h2>`,
    s.networkFees.length
      ? table(
          [l.date, l.kind, l.explanation, l.amount],
          [
            ...s.networkFees.map((f) => [
              day(locale, f.at),
              l.kinds[f.kind] ?? f.kind,
              f.explanation,
              money(locale, f.amount, f.currency),
            ]),
            ...s.networkFeeTotals.map((t) => ['', l.total, '', money(locale, t.amount, t.currency)]),
          ],
          [3],
        )
      : `<p>${l.none}</p>`,
  ];
  return page(locale, `${l.brandTitle} ${s.month}`, parts.join('\n'));
}
