/** A self-billing invoice as a printable HTML page and as a PDF (pdfkit), from one layout. */
import PDFDocument from 'pdfkit';
import { escapeHtml } from '../mail/format.js';
import type { InvoiceLayout } from './document.js';

export function invoiceHtml(d: InvoiceLayout): string {
  const e = escapeHtml;
  const facts = d.facts.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('');
  const parties = d.parties
    .map(
      (p) =>
        `<section class="party"><h2>${e(p.heading)}</h2>${p.lines.map((x) => `<div>${e(x)}</div>`).join('')}</section>`,
    )
    .join('');
  const head = d.columns.map((c, i) => `<th${i === 3 ? ' class="num"' : ''}>${e(c)}</th>`).join('');
  const rows = d.rows
    .map((r) => `<tr>${r.map((c, i) => `<td${i === 3 ? ' class="num"' : ''}>${e(c)}</td>`).join('')}</tr>`)
    .join('');
  const totals = d.totals.map(([k, v]) => `<tr><th>${e(k)}</th><td class="num">${e(v)}</td></tr>`).join('');
  const notes = d.notes.map((n) => `<p>${e(n)}</p>`).join('');
  return `<!doctype html>
<html lang="${d.lang}"><head><meta charset="utf-8"><title>${e(d.title)}</title>
<style>
body{font-family:system-ui,sans-serif;color:#1b1b1b;max-width:52rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1rem;margin:0 0 .25rem}
.note{color:#555;margin-top:0}.parties{display:flex;gap:2rem;margin:1.5rem 0}.party{flex:1}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd}
.num{text-align:right}.facts th{width:14rem}.totals{width:auto;margin-left:auto}
@media print{body{margin:0}}
</style></head><body>
<h1>${e(d.title)}</h1><p class="note">${e(d.note)}</p>
<table class="facts">${facts}</table>
<div class="parties">${parties}</div>
<table class="entries"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>
<table class="totals">${totals}</table>
${notes}
</body></html>
`;
}

/** The invoice as a PDF document, whole in memory (an invoice is a few pages at most). */
export function invoicePdf(d: InvoiceLayout): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: d.title } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const width = doc.page.width - 100;
    doc.font('Helvetica-Bold').fontSize(18).text(d.title);
    doc.font('Helvetica').fontSize(9).fillColor('#555').text(d.note).fillColor('#000').moveDown();
    doc.fontSize(10);
    for (const [k, v] of d.facts)
      doc.font('Helvetica-Bold').text(`${k}: `, { continued: true }).font('Helvetica').text(v);
    doc.moveDown();
    const top = doc.y;
    let bottom = top;
    d.parties.forEach((p, i) => {
      const x = 50 + i * (width / 2);
      doc.font('Helvetica-Bold').text(p.heading, x, top, { width: width / 2 - 10 });
      doc.font('Helvetica');
      for (const line of p.lines) doc.text(line, x, doc.y, { width: width / 2 - 10 });
      bottom = Math.max(bottom, doc.y);
    });
    doc.x = 50;
    doc.y = bottom + 16;
    const cols = [0, 80, 200, width - 90];
    const widths = [75, 115, width - 295, 90];
    const row = (cells: readonly string[], bold: boolean) => {
      if (doc.y > doc.page.height - 80) doc.addPage();
      const y = doc.y;
      let next = y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
      cells.forEach((c, i) => {
        doc.text(c, 50 + (cols[i] ?? 0), y, { width: widths[i] ?? 80, align: i === 3 ? 'right' : 'left' });
        next = Math.max(next, doc.y);
      });
      doc.y = next + 4;
    };
    row(d.columns, true);
    for (const r of d.rows) row(r, false);
    doc.moveDown();
    for (const [k, v] of d.totals) row(['', '', k, v], true);
    doc.x = 50;
    doc.moveDown();
    doc.font('Helvetica').fontSize(9);
    for (const n of d.notes) doc.text(n, 50, doc.y, { width });
    doc.end();
  });
}
