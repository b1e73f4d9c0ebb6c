import type { Worker } from 'node:worker_threads';
import type { SqliteSync } from '../config/config.js';
import { startThread } from '../shared/threads.js';
import type { ClickRecord } from './click.js';
import { encodeClicks } from './wire.js';
import type { WorkerReply, WorkerRequest } from './worker-messages.js';

/** A worker thread that writes batches, and the batches it has not yet confirmed. */
export class BatchThread {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (unique: Uint8Array) => void; reject: (err: Error) => void }>();
  failed: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    /** SQLite's `synchronous` of the thread's connection, as it reported when it started. */
    readonly synchronous: number | undefined,
  ) {
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.waiting.get(reply.seq);
      if (!pending) return;
      this.waiting.delete(reply.seq);
      if ('error' in reply) pending.reject(new Error(reply.error));
      else pending.resolve(reply.unique);
    });
    const fail = (err: Error) => {
      this.failed ??= err;
      for (const pending of this.waiting.values()) pending.reject(err);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the click writer thread stopped (exit code ${code})`)));
  }

  /** Starts the thread and waits until its connection is open; undefined when there is no compiled worker. */
  static async start(file: string, synchronous: SqliteSync | undefined): Promise<BatchThread | undefined> {
    const started = await startThread(
      new URL('./sqlite-worker.js', import.meta.url),
      { file, synchronous },
      'click writer',
    );
    if (!started) return undefined;
    return new BatchThread(started.worker, started.ready?.synchronous);
  }

  write(clicks: ClickRecord[]): Promise<Uint8Array> {
    if (this.failed) return Promise.reject(this.failed);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.worker.postMessage({ seq, clicks: encodeClicks(clicks) } satisfies WorkerRequest);
    });
  }

  checkpointAt(pages: number): void {
    if (!this.failed) this.worker.postMessage({ checkpointPages: pages } satisfies WorkerRequest);
  }

  async stop(): Promise<void> {
    this.failed ??= new Error('the click writer thread was stopped');
    await this.worker.terminate();
  }
}
