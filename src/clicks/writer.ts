import type SqliteDatabase from 'better-sqlite3';
import type { SqliteSync } from '../config/config.js';
import type { Db, DbOrTx } from '../db/database.js';
import { sql } from '../db/kysely.js';
import { BatchThread } from './batch-thread.js';
import type { ClickDone, ClickRecord, StoredClick } from './click.js';
import { ProgramClickStats, writeProgramStats } from './program-stats.js';
import { sqliteClickBatchWriter } from './sqlite-store.js';

export interface ClickWriterOptions {
  /**
   * How long the first click of a batch waits for others to join it. With 0 (the default) a
   * batch is written as soon as the requests already received have been read, and clicks that
   * arrive while it is written form the next batch, so batches grow with the load by themselves.
   */
  maxDelayMs?: number;
  /** A batch is written at once when it reaches this size. */
  maxBatch?: number;
  /**
   * Waits this long before writing each batch: a slow disk, for the durability check, which must
   * then still find every answered click stored. Never set in production.
   */
  slowCommitMs?: number;
  /** On SQLite, the connection under Kysely: batches are then written with prepared statements. */
  sqlite?: SqliteDatabase.Database | undefined;
  /**
   * On SQLite, write batches on a worker thread with its own connection to this file, so the
   * redirect keeps reading requests while a batch commits. Needs the compiled worker (dist/);
   * from TypeScript sources the batches are written on the calling thread instead.
   */
  workerFile?: string | undefined;
  /** How the writer thread's commits wait for the disk; as the server's own connection. */
  synchronous?: SqliteSync | undefined;
}

const hourOf = (d: Date) => d.toISOString().slice(0, 13);
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

interface Counts {
  clicks: number;
  unique: number;
  bots: number;
}

function add(map: Map<string, Counts>, key: string, click: StoredClick) {
  let c = map.get(key);
  if (!c) {
    c = { clicks: 0, unique: 0, bots: 0 };
    map.set(key, c);
  }
  if (click.isBot) c.bots += 1;
  else {
    c.clicks += 1;
    if (click.isUnique) c.unique += 1;
  }
}

const SEP = '\u0000';

/**
 * Writes a batch of clicks in one transaction: the unique-visitor marks, the raw clicks, and the
 * additive rollups that statistics read. Rollups and raw clicks can never disagree, because they
 * commit or fail together. Returns each click with its unique flag.
 */
export async function writeClickBatch(tx: DbOrTx, batch: ClickRecord[]): Promise<StoredClick[]> {
  // A person's first click on a link within the salt day is unique; bots never are. Each
  // visitor's clicks on a link are counted per day (for the click-spam check): the row is new
  // exactly when its count comes back as this batch's own.
  const firstOfBatch = new Map<string, { click: ClickRecord; n: number }>();
  for (const click of batch) {
    if (click.isBot) continue;
    const key = `${click.linkId}${SEP}${dayOf(click.at)}${SEP}${click.visitorHash}`;
    const seen = firstOfBatch.get(key);
    if (seen) seen.n += 1;
    else firstOfBatch.set(key, { click, n: 1 });
  }
  const fresh = new Set<ClickRecord>();
  // In key order, like the rollups below: concurrent writers on PostgreSQL that meet the same
  // visitors in opposite orders would otherwise wait on each other's marks and deadlock.
  const candidates = [...firstOfBatch.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (let i = 0; i < candidates.length; i += 500) {
    const chunk = candidates.slice(i, i + 500);
    const counted = await tx
      .insertInto('click_visitors')
      .values(
        chunk.map(([, { click: c, n }]) => ({
          link_id: c.linkId,
          day: dayOf(c.at),
          visitor_hash: c.visitorHash,
          clicks: n,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['link_id', 'day', 'visitor_hash'])
          .doUpdateSet({ clicks: sql`click_visitors.clicks + excluded.clicks` }),
      )
      .returning(['link_id', 'day', 'visitor_hash', 'clicks'])
      .execute();
    for (const row of counted) {
      const seen = firstOfBatch.get(`${row.link_id}${SEP}${row.day}${SEP}${row.visitor_hash}`);
      if (seen && Number(row.clicks) === seen.n) fresh.add(seen.click);
    }
  }
  const stored: StoredClick[] = batch.map((c) => ({ ...c, isUnique: fresh.has(c) }));

  for (let i = 0; i < stored.length; i += 500) {
    await tx
      .insertInto('clicks')
      .values(
        stored.slice(i, i + 500).map((c) => ({
          id: c.id,
          link_id: c.linkId,
          program_id: c.programId,
          creator_id: c.creatorId,
          content_id: c.contentId,
          placement: c.placement,
          at: c.at.toISOString(),
          visitor_hash: c.visitorHash,
          device: c.device,
          browser: c.browser,
          os: c.os,
          country: c.country,
          referrer: c.referrer,
          is_bot: c.isBot ? 1 : 0,
          is_unique: c.isUnique ? 1 : 0,
        })),
      )
      .execute();
  }

  const hourly = new Map<string, Counts>();
  const daily = new Map<string, Counts>();
  const program = new ProgramClickStats();
  for (const c of stored) {
    const hour = hourOf(c.at);
    add(hourly, `${c.linkId}${SEP}${hour}`, c);
    const day = dayOf(c.at);
    program.add(c.programId, hour, day, c.country, c.device, c.creatorId, c.isBot, c.isUnique);
    add(daily, `${c.linkId}${SEP}${day}${SEP}country${SEP}${c.country}`, c);
    add(daily, `${c.linkId}${SEP}${day}${SEP}device${SEP}${c.device}`, c);
    add(daily, `${c.linkId}${SEP}${day}${SEP}referrer${SEP}${c.referrer}`, c);
  }
  // Keys in a fixed order, so that concurrent writers on PostgreSQL lock rows in the same order.
  const hourlyRows = [...hourly.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (let i = 0; i < hourlyRows.length; i += 500) {
    await tx
      .insertInto('link_stats_hourly')
      .values(
        hourlyRows.slice(i, i + 500).map(([key, c]) => {
          const [linkId, hour] = key.split(SEP) as [string, string];
          return { link_id: linkId, hour, clicks: c.clicks, unique_clicks: c.unique, bot_clicks: c.bots };
        }),
      )
      .onConflict((oc) =>
        oc.columns(['link_id', 'hour']).doUpdateSet((eb) => ({
          clicks: eb('link_stats_hourly.clicks', '+', eb.ref('excluded.clicks')),
          unique_clicks: eb('link_stats_hourly.unique_clicks', '+', eb.ref('excluded.unique_clicks')),
          bot_clicks: eb('link_stats_hourly.bot_clicks', '+', eb.ref('excluded.bot_clicks')),
        })),
      )
      .execute();
  }
  const dailyRows = [...daily.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (let i = 0; i < dailyRows.length; i += 500) {
    await tx
      .insertInto('link_stats_daily')
      .values(
        dailyRows.slice(i, i + 500).map(([key, c]) => {
          const [linkId, day, dimension, value] = key.split(SEP) as [string, string, 'country', string];
          return {
            link_id: linkId,
            day,
            dimension,
            value,
            clicks: c.clicks,
            unique_clicks: c.unique,
            bot_clicks: c.bots,
          };
        }),
      )
      .onConflict((oc) =>
        oc.columns(['link_id', 'day', 'dimension', 'value']).doUpdateSet((eb) => ({
          clicks: eb('link_stats_daily.clicks', '+', eb.ref('excluded.clicks')),
          unique_clicks: eb('link_stats_daily.unique_clicks', '+', eb.ref('excluded.unique_clicks')),
          bot_clicks: eb('link_stats_daily.bot_clicks', '+', eb.ref('excluded.bot_clicks')),
        })),
      )
      .execute();
  }
  await writeProgramStats(tx, program);
  return stored;
}

/** Tells one waiting click its outcome; a callback that throws does not keep the others from theirs. */
function tell(done: ClickDone, err: unknown, unique: boolean): void {
  try {
    done(err, unique);
  } catch (thrown) {
    queueMicrotask(() => {
      throw thrown;
    });
  }
}

/**
 * Group commit: clicks that arrive together are written in one transaction. A click's callback
 * (or promise) is told only after its transaction has committed, so the redirect that waits for it never
 * answers for a click that is not stored. One batch is written at a time; clicks that arrive
 * meanwhile form the next batch, so batches grow with the load.
 */
export class ClickWriter {
  /** Clicks waiting for a batch, and beside them, at the same index, whom to tell. */
  private queue: ClickRecord[] = [];
  private waiting: ClickDone[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private readonly writeSqlite: ((batch: ClickRecord[]) => Uint8Array) | undefined;
  private readonly running = new Set<Promise<void>>();
  private thread: BatchThread | undefined;
  private readonly maxDelayMs: number;
  private readonly maxBatch: number;
  private readonly slowCommitMs: number;
  /** Figures for the operator: batches and clicks written since start. */
  readonly stats = { batches: 0, clicks: 0, failedBatches: 0 };

  constructor(
    private readonly db: Db,
    options: ClickWriterOptions = {},
  ) {
    this.maxDelayMs = options.maxDelayMs ?? 0;
    this.maxBatch = options.maxBatch ?? 1000;
    this.slowCommitMs = options.slowCommitMs ?? 0;
    this.writeSqlite = options.sqlite ? sqliteClickBatchWriter(options.sqlite) : undefined;
  }

  /** A writer that uses a worker thread on SQLite when it can (see `workerFile`). */
  static async open(db: Db, options: ClickWriterOptions = {}): Promise<ClickWriter> {
    const writer = new ClickWriter(db, options);
    if (options.sqlite && options.workerFile && options.workerFile !== ':memory:') {
      writer.thread = await BatchThread.start(options.workerFile, options.synchronous);
    }
    return writer;
  }

  /** Sets the log length at which the writer thread's connection, if any, checkpoints itself. */
  checkpointAt(pages: number): void {
    this.thread?.checkpointAt(pages);
  }

  /**
   * Batches handed over and not yet committed. On the calling thread one at a time; a worker
   * thread takes the next batches while it commits one and writes them in order, so the
   * redirect never waits for a commit before handing over the clicks that arrived meanwhile.
   */
  private get maxInFlight(): number {
    return this.threaded ? 2 : 1;
  }

  /** SQLite's `synchronous` of the writer thread's connection (1 NORMAL, 2 FULL), if there is a thread. */
  get threadSynchronous(): number | undefined {
    return this.thread?.synchronous;
  }

  /** Whether batches are written on a worker thread. */
  get threaded(): boolean {
    return this.thread !== undefined && this.thread.failed === undefined;
  }

  /** Resolves with the click's unique flag once it is committed; rejects if its batch failed. */
  write(click: ClickRecord): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.add(click, (err, unique) => (err === undefined ? resolve(unique) : reject(err)));
    });
  }

  /**
   * Queues a click and calls `done` once its batch has committed, or failed (`err` is then the
   * error, never undefined). `done` is called from the writer, after the commit, never before
   * `add` returns.
   */
  add(click: ClickRecord, done: ClickDone): void {
    this.queue.push(click);
    this.waiting.push(done);
    if (this.running.size >= this.maxInFlight) return; // a batch that ends starts the next one
    if (this.queue.length >= this.maxBatch) this.startBatch();
    else
      this.timer ??= this.maxDelayMs > 0 ? setTimeout(this.startLater, this.maxDelayMs) : setImmediate(this.startLater);
  }

  private readonly startLater = () => {
    this.timer = undefined;
    this.startBatch();
  };

  private startBatch(): void {
    if (this.timer) {
      if (this.maxDelayMs > 0) clearTimeout(this.timer as NodeJS.Timeout);
      else clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = undefined;
    }
    if (this.running.size >= this.maxInFlight || this.queue.length === 0) return;
    let clicks: ClickRecord[];
    let waiting: ClickDone[];
    if (this.queue.length <= this.maxBatch) {
      clicks = this.queue;
      waiting = this.waiting;
      this.queue = [];
      this.waiting = [];
    } else {
      clicks = this.queue.splice(0, this.maxBatch);
      waiting = this.waiting.splice(0, this.maxBatch);
    }
    const done: Promise<void> = this.commit(clicks, waiting).finally(() => {
      this.running.delete(done);
      if (this.queue.length > 0) this.startBatch();
    });
    this.running.add(done);
  }

  /** Writes one batch where this writer writes, and answers each click's unique flag (1 or 0) in order. */
  private async store(clicks: ClickRecord[]): Promise<Uint8Array> {
    if (this.threaded && this.thread) return this.thread.write(clicks);
    const sqlite = this.writeSqlite;
    // On SQLite the batch runs synchronously while holding Kysely's connection, so it never
    // lands inside another request's open transaction.
    if (sqlite) return this.db.connection().execute(async () => sqlite(clicks));
    const stored = await this.db.transaction().execute((tx) => writeClickBatch(tx, clicks));
    return Uint8Array.from(stored, (c) => (c.isUnique ? 1 : 0));
  }

  private async commit(clicks: ClickRecord[], waiting: ClickDone[]): Promise<void> {
    let unique: Uint8Array;
    try {
      if (this.slowCommitMs > 0) await new Promise((resolve) => setTimeout(resolve, this.slowCommitMs));
      unique = await this.store(clicks);
    } catch (err) {
      this.stats.failedBatches += 1;
      const failure = err ?? new Error('the click batch failed');
      for (const done of waiting) tell(done, failure, false);
      return;
    }
    this.stats.batches += 1;
    this.stats.clicks += clicks.length;
    for (let i = 0; i < waiting.length; i++) tell(waiting[i] as ClickDone, undefined, unique[i] === 1);
  }

  /** Writes everything queued; used when the server stops. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.running.size > 0) {
      this.startBatch();
      await Promise.all(this.running);
    }
  }

  /** Writes everything queued, then stops the worker thread if there is one. */
  async close(): Promise<void> {
    await this.drain();
    await this.thread?.stop();
    this.thread = undefined;
  }
}
