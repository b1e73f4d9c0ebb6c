import type { Worker } from 'node:worker_threads';
import type { SqliteSync } from '../config/config.js';
import { startThread } from '../shared/threads.js';
import type { CheckpointReport, CheckpointWorkerData } from './checkpoint-worker.js';

export interface CheckpointerOptions {
  /** How often the thread looks for committed pages to copy. */
  intervalMs?: number;
  /** The compiled thread; by default the one beside this module. */
  script?: URL;
  /** Told once if the thread stops by itself: the writers must checkpoint as by default again. */
  onGone?: (err: Error) => void;
  /** As the writers' connections: checkpoints sync the disk either way. */
  synchronous?: SqliteSync | undefined;
}

/**
 * How many pages a writing connection lets the log reach before it checkpoints itself, while the
 * thread runs. SQLite's default is 1,000; with the thread copying behind the writers, a writer's
 * own checkpoint has little to copy but still syncs, and under load it came due at nearly every
 * commit (a third of each commit's time in `bench:track`). At 4,000 the log stays about 16 MB and starts
 * afresh as before (docs/decisions/0005-sqlite-checkpoints.md).
 */
export const WRITER_CHECKPOINT_PAGES = 4000;

/** SQLite's own threshold, for writers once the thread has stopped. */
export const DEFAULT_CHECKPOINT_PAGES = 1000;

/**
 * Checkpoints of an SQLite database, done ahead on a thread of their own. A checkpoint copies
 * the pages that commits appended to the write-ahead log into the database file, and waits for
 * the disk twice. SQLite has the connection that commits do it, every 1,000 pages: under load
 * that stops the request thread for tens of milliseconds each time, which is most of the
 * slowest answers. Here a thread copies and syncs behind the writer every few milliseconds, so
 * when the request thread's own checkpoint comes due there is almost nothing left for it to
 * copy or wait for; it then starts the log afresh, as it always does, so the log stays short.
 *
 * Durability is unchanged: a commit is in the log before it is answered, the log is what
 * recovery replays, and the thread only copies committed pages. Needs the compiled thread
 * (dist/); from TypeScript sources, or if the thread stops, SQLite checkpoints as by default.
 */
export class Checkpointer {
  /** Passes that found the log changed, and failed passes. */
  readonly stats = { passes: 0, errors: 0 };
  private stopped = false;
  private gone = false;

  private constructor(
    private readonly worker: Worker,
    onGone: ((err: Error) => void) | undefined,
    /** SQLite's `synchronous` of the thread's connection, as it reported when it started. */
    readonly synchronous: number | undefined,
  ) {
    worker.on('message', (report: CheckpointReport) => {
      if ('error' in report) {
        this.stats.errors += 1;
        return;
      }
      this.stats.passes += 1;
    });
    const gone = (err: Error) => {
      if (this.gone) return;
      this.gone = true;
      if (!this.stopped) onGone?.(err);
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`the checkpoint thread stopped (exit code ${code})`)));
  }

  /** Starts the thread for a database file; undefined where it cannot run. */
  static async start(file: string, options: CheckpointerOptions = {}): Promise<Checkpointer | undefined> {
    if (file === ':memory:') return undefined;
    const data: CheckpointWorkerData = { file, intervalMs: options.intervalMs ?? 20, synchronous: options.synchronous };
    const script = options.script ?? new URL('./checkpoint-worker.js', import.meta.url);
    const started = await startThread(script, data, 'checkpoint');
    if (!started) return undefined;
    const checkpointer = new Checkpointer(started.worker, options.onGone, started.ready?.synchronous);
    // The thread never keeps the process alive by itself.
    started.worker.unref();
    return checkpointer;
  }

  /** Stops the thread; the committing connection checkpoints by itself again. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.gone) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('stop');
    const late = setTimeout(() => void this.worker.terminate(), 2000);
    await exited;
    clearTimeout(late);
  }
}
