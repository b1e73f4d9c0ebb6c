import type { Redis } from 'ioredis';
import { type AnnouncementOptions, Announcements } from '../shared/announcements.js';

const CHANNEL = 'kumppani:programs:changed';

/**
 * Told after a write that changes what sales keep of a program (its settings, a product, an
 * enrollment, a code, the fraud settings), once the write has committed: the server drops the
 * program from its `ProgramCache` with it.
 */
export type ProgramChanged = (programId: string) => Promise<void>;

/** For services whose writes no cache needs to hear of (the demo loader, tests). */
export const nobodyToTell: ProgramChanged = async () => {};

interface Entry {
  values: Map<string, unknown>;
  /** When the entry is dropped even if no change was announced (a lost pub/sub message). */
  expires: number;
}

export interface ProgramCacheOptions extends AnnouncementOptions {
  /** How many programs are kept; the oldest is dropped first. */
  maxPrograms?: number;
  /** How many values (settings, products, enrollments, codes) all programs keep together. */
  maxValues?: number;
  /** How many values one program keeps before it starts over. */
  maxValuesPerProgram?: number;
  /** The longest an entry lives without a change being announced. */
  ttlMs?: number;
  now?: () => number;
  /** Told of every program dropped for a change, made here or heard of over Redis. */
  onForget?: (programId: string) => void;
}

/**
 * What a tracked sale reads of its program and does not change — the program's settings, its
 * fraud settings and rate history, its products and its creators' enrollments — kept in process
 * per program, so that a sale does not read them again. Every change of any of them (a program
 * edit, a product, an enrollment, the fraud settings) drops the program's entry at once; with
 * Redis, a change on one instance is announced to every other one over pub/sub. An entry also
 * lives at most `ttlMs`, which bounds what a lost announcement can cost.
 *
 * A value read while a change is being announced is not kept: every announcement advances a
 * generation, and a load that began in an earlier generation answers its caller but does not
 * store what it read, which may be from before the change.
 */
export class ProgramCache {
  private readonly entries = new Map<string, Entry>();
  /** The values of every entry together. */
  private values = 0;
  private generation = 0;
  private readonly announcements: Announcements;
  private readonly now: () => number;

  constructor(private readonly options: ProgramCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    this.announcements = new Announcements(CHANNEL, options);
  }

  /** Listens for changes made on other instances. */
  subscribe(redis: Redis): Promise<void> {
    return this.announcements.listen(redis, (programId) => this.forget(programId));
  }

  /**
   * The value kept under `key` for the program, or what `load` reads (kept for next time). A
   * value of `undefined` is never kept: a miss is looked up again.
   */
  async get<T>(programId: string, key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(programId);
    if (entry && entry.expires > this.now()) {
      const value = entry.values.get(key);
      if (value !== undefined || entry.values.has(key)) return value as T;
    }
    const generation = this.generation;
    const value = await load();
    if (value !== undefined && this.generation === generation) this.store(programId, key, value);
    return value;
  }

  /**
   * Values of a program kept under several keys (each `prefix` + key, such as products by
   * reference): those kept, and one `load` of the rest, whose answers are kept too, with `null`
   * for a key it did not find.
   */
  async getEach<T>(
    programId: string,
    prefix: string,
    keys: readonly string[],
    load: (missing: string[]) => Promise<Map<string, T>>,
  ): Promise<Map<string, T | null>> {
    const generation = this.generation;
    const hits = this.peek(
      programId,
      keys.map((key) => prefix + key),
    );
    const found = new Map<string, T | null>();
    const missing: string[] = [];
    for (const key of keys) {
      if (hits.has(prefix + key)) found.set(key, hits.get(prefix + key) as T | null);
      else missing.push(key);
    }
    if (missing.length === 0) return found;
    const loaded = await load(missing);
    const fresh = this.generation === generation;
    for (const key of missing) {
      const value = loaded.get(key) ?? null;
      found.set(key, value);
      if (fresh) this.store(programId, prefix + key, value);
    }
    return found;
  }

  /** Values already kept, without loading: the keys that are missing are left out. */
  peek(programId: string, keys: readonly string[]): Map<string, unknown> {
    const found = new Map<string, unknown>();
    const entry = this.entries.get(programId);
    if (!entry || entry.expires <= this.now()) return found;
    for (const key of keys) if (entry.values.has(key)) found.set(key, entry.values.get(key));
    return found;
  }

  private store(programId: string, key: string, value: unknown): void {
    let entry = this.entries.get(programId);
    const now = this.now();
    if (!entry || entry.expires <= now || entry.values.size >= (this.options.maxValuesPerProgram ?? 10_000)) {
      if (entry) this.drop(programId);
      if (this.entries.size >= (this.options.maxPrograms ?? 10_000)) this.dropOldest();
      entry = { values: new Map(), expires: now + (this.options.ttlMs ?? 30_000) };
      this.entries.set(programId, entry);
    }
    if (!entry.values.has(key)) {
      if (this.values >= (this.options.maxValues ?? 200_000)) {
        // The programs used longest ago make room; the one being filled moves to the newest end
        // first, so that it is never the one dropped.
        this.entries.delete(programId);
        this.entries.set(programId, entry);
        while (this.values >= (this.options.maxValues ?? 200_000) && this.entries.size > 1) this.dropOldest();
      }
      this.values++;
    }
    entry.values.set(key, value);
  }

  private drop(programId: string): void {
    const entry = this.entries.get(programId);
    if (!entry) return;
    this.values -= entry.values.size;
    this.entries.delete(programId);
  }

  private dropOldest(): void {
    const oldest = this.entries.keys().next().value;
    if (oldest !== undefined) this.drop(oldest);
  }

  private forget(programId: string): void {
    this.generation++;
    this.drop(programId);
    this.options.onForget?.(programId);
  }

  /** Drops what is kept of a program, here and, with Redis, on every other instance. */
  invalidate(programId: string): Promise<void> {
    this.forget(programId);
    return this.announcements.publish(programId);
  }

  /** How many programs are kept. */
  get size(): number {
    return this.entries.size;
  }

  /** How many values all programs keep together. */
  get valueCount(): number {
    return this.values;
  }

  close(): Promise<void> {
    return this.announcements.close();
  }
}
