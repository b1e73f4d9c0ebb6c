import crypto, { randomBytes } from 'node:crypto';

/** One-shot SHA-256 (Node 20.12 and later), or the streaming interface before that. */
const sha256base64url: (data: string) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'base64url')
    : (data) => crypto.createHash('sha256').update(data).digest('base64url');

import type { Db } from '../db/database.js';
import { DAY_MS } from '../shared/time.js';

/**
 * Visitors are told apart by a hash of their IP address and user agent with a salt that
 * changes every UTC day. The salt is random, shared by every instance through the database,
 * and deleted after two days: after that, nobody can tell whose hash it was. No raw IP is kept.
 */
export class VisitorHasher {
  private current: { day: string; salt: string; from: number; until: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly db: Db) {}

  private async load(day: string): Promise<string> {
    await this.db
      .insertInto('visitor_salts')
      .values({ day, salt: randomBytes(32).toString('base64url') })
      .onConflict((oc) => oc.column('day').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('visitor_salts')
      .select('salt')
      .where('day', '=', day)
      .executeTakeFirstOrThrow();
    // Salts and unique-visitor marks older than yesterday are of no further use.
    const cutoff = new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
    await this.db.deleteFrom('visitor_salts').where('day', '<', cutoff).execute();
    await this.db.deleteFrom('click_visitors').where('day', '<', cutoff).execute();
    const from = Date.parse(`${day}T00:00:00Z`);
    this.current = { day, salt: row.salt, from, until: from + DAY_MS };
    return row.salt;
  }

  /** The salt of a day; synchronous once the day's salt is known. */
  salt(at: Date): string | Promise<string> {
    const ms = at.getTime();
    const current = this.current;
    if (current && ms >= current.from && ms < current.until) return current.salt;
    const day = at.toISOString().slice(0, 10);
    this.pending ??= this.load(day).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  static hash(salt: string, ip: string, userAgent: string): string {
    return sha256base64url(`${salt}\n${ip}\n${userAgent}`).slice(0, 22);
  }
}
