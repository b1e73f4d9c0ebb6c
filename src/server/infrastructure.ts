import type { IncomingMessage } from 'node:http';
import { availableParallelism } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { ClickWriter } from '../clicks/writer.js';
import { type Config, domainProofRequired } from '../config/config.js';
import type { ConversionsThread } from '../conversions/thread.js';
import { Checkpointer, DEFAULT_CHECKPOINT_PAGES, WRITER_CHECKPOINT_PAGES } from '../db/checkpointer.js';
import type { DatabaseHandle } from '../db/database.js';
import { LinkCache } from '../links/cache.js';
import { ProgramCache } from '../programs/cache.js';
import { countryResolver } from '../redirect/visitor-origin.js';

/** The server's logger, which exists only once the HTTP application does; until then nothing is logged. */
export type LateLog = () => FastifyBaseLogger | undefined;

export interface InfrastructureDeps {
  config: Config;
  database: DatabaseHandle;
  redis?: Redis | undefined;
  log: LateLog;
}

/**
 * What runs beside the routes and outlives every request: the visitor's country (GeoIP), the
 * caches of links and of programs (kept in step with other instances over Redis), and on SQLite
 * the checkpoint thread and the click writer (with its thread on four cores or more). The
 * conversions thread is started later, by `startConversionsThread` (conversions-thread.ts), once
 * the service it falls back on exists; it is kept here so that the caches and the checkpoint
 * settings reach it.
 */
export class Infrastructure {
  conversionsThread: ConversionsThread | undefined;
  /** Why the checkpoint thread stopped, if it has. */
  checkpointGone: Error | undefined;
  checkpointer: Checkpointer | undefined;
  private checkpointerStarting: Promise<Checkpointer | undefined> = Promise.resolve(undefined);
  writer!: ClickWriter;

  private constructor(
    readonly country: (req: IncomingMessage, ip: string) => string,
    readonly links: LinkCache,
    /** What tracked sales read of their program (settings, products, enrollments), kept between sales. */
    readonly programs: ProgramCache,
  ) {}

  static async open({ config, database, redis, log }: InfrastructureDeps): Promise<Infrastructure> {
    // Read first: a bad GeoIP file stops start-up before anything else is opened.
    const country = await countryResolver(config);
    const links = new LinkCache(database.db, {
      // On a public instance with open brand signup, links go only to domains their workspace proved.
      domainProof: domainProofRequired(config),
      publisher: redis,
      onPublishError: (err) =>
        log()?.warn({ err }, 'a link change could not be announced over Redis; other instances see it within 60 s'),
    });
    if (redis) await links.subscribe(redis);
    let self: Infrastructure | undefined;
    const programs = new ProgramCache({
      // The conversions thread keeps its own copy, dropped with this one.
      onForget: (id) => self?.conversionsThread?.forget(id),
      publisher: redis,
      onPublishError: (err) =>
        log()?.warn({ err }, 'a program change could not be announced over Redis; other instances see it within 30 s'),
    });
    if (redis) await programs.subscribe(redis);
    const infrastructure = new Infrastructure(country, links, programs);
    self = infrastructure;
    // On SQLite, the write-ahead log is checkpointed on a thread of its own (checkpointer.ts),
    // and while it runs the writing connections checkpoint themselves only rarely; they are told
    // once every one of them is open (`writersOpen`), and told again if the thread stops.
    // Started here and waited for in `ready()`: the thread loads while the application is built.
    infrastructure.checkpointerStarting =
      database.sqlite && config.database.dialect === 'sqlite'
        ? Checkpointer.start(config.database.file, {
            synchronous: config.database.synchronous,
            onGone: (err) => {
              infrastructure.checkpointGone = err;
              // Logged at once when the logger exists already, else once the app is built (`logReady`).
              log()?.warn({ err }, 'the checkpoint thread stopped; SQLite checkpoints as by default');
              infrastructure.writersCheckpointAt(database, DEFAULT_CHECKPOINT_PAGES);
            },
          })
        : Promise.resolve(undefined);
    // A thread that fails to start fails `ready()`; until then the failure is not unhandled.
    infrastructure.checkpointerStarting.catch(() => undefined);
    infrastructure.writer = await ClickWriter.open(database.db, {
      sqlite: database.sqlite,
      // A writer thread pays off only with a core to run on: on one or two cores, the commits
      // compete with the requests for the same CPU and the thread's hand-offs cost more than they
      // save (docs/decisions/0003-click-capture.md).
      workerFile:
        config.database.dialect === 'sqlite' && availableParallelism() >= 4 ? config.database.file : undefined,
      synchronous: config.database.dialect === 'sqlite' ? config.database.synchronous : undefined,
      // Only the durability check sets this, to widen the time a click spends uncommitted.
      slowCommitMs: config.checkSlowCommitMs ?? 0,
    });
    return infrastructure;
  }

  /** Called once the logger exists: tells what happened before it did. */
  logReady(log: FastifyBaseLogger): void {
    if (this.checkpointGone)
      log.warn({ err: this.checkpointGone }, 'the checkpoint thread stopped; SQLite checkpoints as by default');
  }

  /**
   * Every writing connection is open (the conversions thread's too, when it runs): each is told
   * the threshold once, in the order of its messages, so before any batch it is given.
   */
  /** Waits until the threads started in the background (the checkpoint thread) are running. */
  async ready(): Promise<void> {
    this.checkpointer = await this.checkpointerStarting;
  }

  writersOpen(database: DatabaseHandle): void {
    if (this.checkpointer && !this.checkpointGone) this.writersCheckpointAt(database, WRITER_CHECKPOINT_PAGES);
  }

  private writersCheckpointAt(database: DatabaseHandle, pages: number): void {
    database.sqlite?.pragma(`wal_autocheckpoint = ${pages}`);
    this.writer?.checkpointAt(pages);
    this.conversionsThread?.checkpointAt(pages);
  }

  /** Stops the threads and the caches, after the last click has been written. */
  async close(): Promise<void> {
    await this.writer.close();
    await this.conversionsThread?.stop();
    // Closed before it was ready (a start-up that failed): the thread is still stopped.
    await (this.checkpointer ?? (await this.checkpointerStarting.catch(() => undefined)))?.stop();
    await this.links.close();
    await this.programs.close();
  }
}
