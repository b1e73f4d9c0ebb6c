import type { Redis } from 'ioredis';
import type { Db } from '../db/database.js';
import { type AnnouncementOptions, Announcements } from '../shared/announcements.js';
import { findRedirectTarget, type RedirectTarget } from './repository.js';

const CHANNEL = 'kumppani:links:changed';

interface Entry {
  target: RedirectTarget | undefined;
  /**
   * When the entry is read again from the database. Unknown slugs are remembered briefly, so a
   * scan of random slugs does not reach the database each time; known ones for longer, which
   * bounds what a lost announcement of a change can cost.
   */
  expires: number;
}

export interface LinkCacheOptions extends AnnouncementOptions {
  maxEntries?: number;
  /** How long an unknown slug is remembered. */
  missTtlMs?: number;
  /** How long a link is kept without a change being announced. */
  hitTtlMs?: number;
  now?: () => number;
  /** Links send visitors only to domains their workspace has proved control of. */
  domainProof?: boolean;
}

/**
 * The redirect's view of links: an in-process map from slug to target, filled on first use and
 * dropped the moment a link changes. With Redis, a change on one instance is announced to all
 * of them over pub/sub, so an edit takes effect everywhere at once.
 */
export class LinkCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<RedirectTarget | undefined>>();
  private readonly announcements: Announcements;
  /** Advanced by every change; a lookup that began before one does not keep what it read. */
  private generation = 0;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly options: LinkCacheOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.announcements = new Announcements(CHANNEL, options);
  }

  /** Listens for changes made on other instances. */
  subscribe(redis: Redis): Promise<void> {
    return this.announcements.listen(redis, (message) => this.forget(message));
  }

  get(slug: string): RedirectTarget | undefined | Promise<RedirectTarget | undefined> {
    const hit = this.entries.get(slug);
    if (hit && hit.expires > this.now()) return hit.target;
    let pending = this.loading.get(slug);
    if (!pending) {
      const generation = this.generation;
      const loaded: Promise<RedirectTarget | undefined> = findRedirectTarget(
        this.db,
        slug,
        this.options.domainProof ?? false,
      ).then(
        (target) => {
          if (this.loading.get(slug) === loaded) this.loading.delete(slug);
          // Read before a change was announced: answered, but not kept.
          if (this.generation === generation) this.remember(slug, target);
          return target;
        },
        (err) => {
          if (this.loading.get(slug) === loaded) this.loading.delete(slug);
          throw err;
        },
      );
      pending = loaded;
      this.loading.set(slug, pending);
    }
    return pending;
  }

  private remember(slug: string, target: RedirectTarget | undefined): void {
    const max = this.options.maxEntries ?? 100_000;
    if (this.entries.size >= max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const ttl = target === undefined ? (this.options.missTtlMs ?? 5_000) : (this.options.hitTtlMs ?? 60_000);
    this.entries.set(slug, { target, expires: this.now() + ttl });
  }

  /** Messages are `slug:<slug>` for one link or `program:<id>` for every link of a program. */
  private forget(message: string): void {
    this.generation++;
    if (message.startsWith('slug:')) {
      const slug = message.slice(5);
      this.entries.delete(slug);
      this.loading.delete(slug);
    } else if (message === 'all') {
      this.entries.clear();
      this.loading.clear();
    } else if (message.startsWith('program:')) {
      const programId = message.slice(8);
      for (const [slug, entry] of this.entries) if (entry.target?.programId === programId) this.entries.delete(slug);
      this.loading.clear();
    }
  }

  private announce(message: string): Promise<void> {
    this.forget(message);
    return this.announcements.publish(message);
  }

  /** Forgets a slug here and, with Redis, on every other instance. */
  invalidate(slug: string): Promise<void> {
    return this.announce(`slug:${slug}`);
  }

  /** Forgets every link (a workspace proved a domain: its links may go live). */
  invalidateAll(): Promise<void> {
    return this.announce('all');
  }

  /** Forgets every link of a program (its status or UTM defaults changed). */
  invalidateProgram(programId: string): Promise<void> {
    return this.announce(`program:${programId}`);
  }

  get size(): number {
    return this.entries.size;
  }

  close(): Promise<void> {
    return this.announcements.close();
  }
}
