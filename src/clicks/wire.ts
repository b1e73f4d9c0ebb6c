import type { Placement } from '../db/schema.js';
import type { ClickRecord } from './click.js';

/**
 * Clicks cross to the writer thread as one string per batch: copying a string between threads
 * costs far less than cloning an object per click. Fields are separated by U+001F and clicks by
 * U+001E; no field can hold either (ids, hashes, codes and host names cannot, and the
 * user-agent classifier removes control characters from the names it reports).
 */
const FIELD = '\u001f';
const RECORD = '\u001e';

export function encodeClicks(clicks: readonly ClickRecord[]): string {
  let out = '';
  for (let i = 0; i < clicks.length; i++) {
    const c = clicks[i] as ClickRecord;
    if (i > 0) out += RECORD;
    out +=
      c.id +
      FIELD +
      c.linkId +
      FIELD +
      c.programId +
      FIELD +
      c.creatorId +
      FIELD +
      (c.contentId ?? '') +
      FIELD +
      c.placement +
      FIELD +
      c.at.getTime() +
      FIELD +
      c.visitorHash +
      FIELD +
      c.device +
      FIELD +
      c.browser +
      FIELD +
      c.os +
      FIELD +
      c.country +
      FIELD +
      c.referrer +
      FIELD +
      (c.isBot ? '1' : '0');
  }
  return out;
}

export function decodeClicks(wire: string): ClickRecord[] {
  if (wire === '') return [];
  return wire.split(RECORD).map((record) => {
    const f = record.split(FIELD);
    return {
      id: f[0] as string,
      linkId: f[1] as string,
      programId: f[2] as string,
      creatorId: f[3] as string,
      contentId: f[4] === '' ? null : (f[4] as string),
      placement: f[5] as Placement,
      at: new Date(Number(f[6])),
      visitorHash: f[7] as string,
      device: f[8] as string,
      browser: f[9] as string,
      os: f[10] as string,
      country: f[11] as string,
      referrer: f[12] as string,
      isBot: f[13] === '1',
    };
  });
}
