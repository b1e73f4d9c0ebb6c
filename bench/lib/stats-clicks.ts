/**
 * The link statistics part of bench:redirect: a link filled with clicks spread over 60 days
 * through the same batch writer as the redirect, then its statistics read again and again.
 */
import type { ClickRecord } from '../../src/clicks/click.js';
import { writeClickBatch } from '../../src/clicks/writer.js';
import { parseDatabaseUrl } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/database.js';
import { newId } from '../../src/shared/ids.js';
import type { Seeded } from './seed.js';

const log = (line: string) => process.stderr.write(`[bench:redirect] ${line}\n`);

const COUNTRIES = ['FI', 'FI', 'FI', 'SE', 'EE', 'DE', 'US', 'GB', 'NO', 'DK'];
const DEVICES: [string, string, string][] = [
  ['mobile', 'Mobile Safari', 'iOS'],
  ['mobile', 'Chrome Mobile', 'Android'],
  ['mobile', 'Instagram', 'iOS'],
  ['mobile', 'TikTok', 'Android'],
  ['tablet', 'Mobile Safari', 'iOS'],
  ['desktop', 'Chrome', 'Windows'],
  ['desktop', 'Safari', 'macOS'],
];
const REFERRERS = ['tiktok.com', 'tiktok.com', 'instagram.com', 'l.instagram.com', 'youtube.com', 'direct'];

/** Writes `count` clicks spread over 60 days on one link, through the same batch writer as the redirect. */
export async function fillClicks(databaseUrl: string, dataDir: string, s: Seeded, count: number): Promise<number> {
  const handle = await openDatabase(parseDatabaseUrl(databaseUrl, dataDir));
  const started = performance.now();
  try {
    const now = Date.now();
    const batchSize = 5000;
    let rng = 42;
    const next = () => {
      rng = (rng * 1103515245 + 12345) % 2147483648;
      return rng / 2147483648;
    };
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
    for (let written = 0; written < count; written += batchSize) {
      const batch: ClickRecord[] = [];
      const n = Math.min(batchSize, count - written);
      for (let i = 0; i < n; i++) {
        // Older clicks first, so that the unique-visitor marks behave as they would live.
        const at = new Date(now - 60 * 86_400_000 + ((written + i) / count) * 60 * 86_400_000);
        const [device, browser, os] = pick(DEVICES);
        const isBot = next() < 0.05;
        batch.push({
          id: newId('click', at.getTime()),
          linkId: s.statsLinkId,
          programId: s.programId,
          creatorId: s.creatorId,
          contentId: null,
          placement: 'bio',
          at,
          visitorHash: `v${Math.floor(next() * 400_000)}`,
          device: isBot ? 'bot' : device,
          browser,
          os,
          country: pick(COUNTRIES),
          referrer: pick(REFERRERS),
          isBot,
        });
      }
      await handle.db.transaction().execute((tx) => writeClickBatch(tx, batch));
      if ((written / batchSize) % 20 === 0)
        log(`  ${written.toLocaleString('en')} / ${count.toLocaleString('en')} clicks`);
    }
  } finally {
    await handle.close();
  }
  return performance.now() - started;
}

export async function statsLatencies(base: string, s: Seeded, requests: number): Promise<number[]> {
  const url = `${base}/api/v1/links/${s.statsLinkId}/stats`;
  const headers = { authorization: `Bearer ${s.token}` };
  for (let i = 0; i < 10; i++) await (await fetch(url, { headers })).arrayBuffer(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    const body = (await res.json()) as { clicks: number };
    times.push(performance.now() - t0);
    if (res.status !== 200 || body.clicks <= 0) throw new Error(`stats answered ${res.status}`);
  }
  return times;
}
