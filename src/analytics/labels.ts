import type { DbOrTx } from '../db/database.js';
import type { GroupBy } from './schemas.js';

/** Readable names of the groups' keys: creators' names, links' slugs, videos' titles, codes, products. */
export async function labelsOf(db: DbOrTx, groupBy: GroupBy, keys: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    if (chunk.length === 0) break;
    let rows: { id: string; label: string | null }[] = [];
    if (groupBy === 'creator') {
      rows = await db.selectFrom('creators').select(['id', 'name as label']).where('id', 'in', chunk).execute();
    } else if (groupBy === 'link') {
      rows = await db.selectFrom('links').select(['id', 'slug as label']).where('id', 'in', chunk).execute();
    } else if (groupBy === 'content') {
      const found = await db.selectFrom('contents').select(['id', 'title', 'url']).where('id', 'in', chunk).execute();
      rows = found.map((c) => ({ id: c.id, label: c.title ?? c.url }));
    } else if (groupBy === 'code') {
      rows = await db.selectFrom('codes').select(['id', 'code as label']).where('id', 'in', chunk).execute();
    } else if (groupBy === 'product') {
      rows = await db.selectFrom('products').select(['id', 'name as label']).where('id', 'in', chunk).execute();
    }
    for (const r of rows) out.set(r.id, r.label ?? r.id);
  }
  return out;
}
