import type { Worker } from 'node:worker_threads';
import { AppError } from '../shared/errors.js';
import type { WorkspaceScope } from '../shared/principal.js';
import { startThread } from '../shared/threads.js';
import type {
  ConversionOutcome,
  ConversionsPort,
  LeadInput,
  RecordOptions,
  RefundInput,
  SaleInput,
} from './contract.js';
import type { ConversionsWorkerData, ThreadError, ThreadOperation, ThreadReply, ThreadRequest } from './worker.js';

export interface ConversionsThreadOptions extends ConversionsWorkerData {
  /** The compiled thread; by default the one beside this module. */
  script?: URL;
  /** Records the deliveries once the thread has stopped, so that they keep being taken. */
  fallback: ConversionsPort;
  /** Told once, when the thread stops by itself. */
  onStopped?: (err: Error) => void;
}

const fromThread = (error: ThreadError): Error => {
  if (error.app) return new AppError(error.code, error.message, error.fields);
  const err = new Error(error.message) as Error & { code?: string };
  if (error.stack) err.stack = error.stack;
  if (error.code) err.code = error.code;
  return err;
};

/**
 * Sales, leads and refunds recorded on a thread of their own (`worker.ts`), on SQLite: the
 * request thread keeps reading, authenticating and answering requests while this thread does the
 * attribution, the commission rules and the ledger writes, each delivery answered only after the
 * transaction that holds it has committed, exactly as in process. Needs the compiled thread
 * (dist/); from TypeScript sources the caller records deliveries in process instead.
 *
 * What the thread keeps of programs is dropped by `forget`, which the server calls for every
 * program change it makes or hears of; a message to the thread is read in the order it was
 * sent, so a delivery sent after a change is recorded with it. If the thread stops, the
 * deliveries it had not answered fail (the shop's retry, with the same order id, is recorded
 * once) and later ones are recorded by `fallback`, in process.
 */
export class ConversionsThread implements ConversionsPort {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (o: ConversionOutcome) => void; reject: (e: Error) => void }>();
  private stopped: Error | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly options: ConversionsThreadOptions,
    /** SQLite's `synchronous` of the thread's connection, as it reported when it started. */
    readonly synchronous: number | undefined,
  ) {
    worker.on('message', (reply: ThreadReply) => {
      const pending = this.waiting.get(reply.seq);
      if (!pending) return;
      this.waiting.delete(reply.seq);
      if ('error' in reply) pending.reject(fromThread(reply.error));
      else pending.resolve(reply.outcome);
    });
    const stop = (err: Error) => {
      // Stopped by `stop()`, the thread is not reported; what it still held fails either way.
      const unexpected = !this.stopped;
      this.stopped ??= err;
      for (const pending of this.waiting.values()) pending.reject(err);
      this.waiting.clear();
      if (unexpected) options.onStopped?.(err);
    };
    worker.on('error', stop);
    worker.on('exit', (code) => stop(new Error(`the conversions thread stopped (exit code ${code})`)));
  }

  /** Starts the thread and waits until its database is open; undefined when there is no compiled thread. */
  static async start(options: ConversionsThreadOptions): Promise<ConversionsThread | undefined> {
    const data: ConversionsWorkerData = {
      file: options.file,
      secret: options.secret,
      synchronous: options.synchronous,
    };
    const started = await startThread(options.script ?? new URL('./worker.js', import.meta.url), data, 'conversions');
    if (!started) return undefined;
    return new ConversionsThread(started.worker, options, started.ready?.synchronous);
  }

  private call(op: ThreadOperation, scope: WorkspaceScope, input: unknown, options?: RecordOptions) {
    if (this.stopped) {
      const fallback = this.options.fallback;
      return (fallback[op] as (s: WorkspaceScope, i: unknown, o?: RecordOptions) => Promise<ConversionOutcome>)(
        scope,
        input,
        options,
      );
    }
    const seq = ++this.seq;
    return new Promise<ConversionOutcome>((resolve, reject) => {
      // Posted first: a delivery that cannot be cloned fails alone, and is never waited for.
      this.worker.postMessage({ seq, op, scope, input, ...(options ? { options } : {}) } satisfies ThreadRequest);
      this.waiting.set(seq, { resolve, reject });
    });
  }

  recordSale(scope: WorkspaceScope, input: SaleInput, options?: RecordOptions): Promise<ConversionOutcome> {
    return this.call('recordSale', scope, input, options);
  }

  recordLead(scope: WorkspaceScope, input: LeadInput, options?: RecordOptions): Promise<ConversionOutcome> {
    return this.call('recordLead', scope, input, options);
  }

  recordRefund(scope: WorkspaceScope, input: RefundInput, options?: RecordOptions): Promise<ConversionOutcome> {
    return this.call('recordRefund', scope, input, options);
  }

  /** Whether deliveries go to the thread (false once it has stopped, when the fallback takes them). */
  get running(): boolean {
    return this.stopped === undefined;
  }

  /** What the thread keeps of the program is read again by the next delivery sent to it. */
  forget(programId: string): void {
    if (!this.stopped) this.worker.postMessage({ forget: programId } satisfies ThreadRequest);
  }

  /** Sets the log length at which the thread's connection checkpoints itself. */
  checkpointAt(pages: number): void {
    if (!this.stopped) this.worker.postMessage({ checkpointPages: pages } satisfies ThreadRequest);
  }

  /**
   * Waits up to `timeoutMs` for the deliveries in flight, then asks the thread to close its
   * database and end; one that has not ended 2 s later is ended by force, failing what it still
   * holds. Every call waits for the same end.
   */
  stop(timeoutMs = 10_000): Promise<void> {
    this.stopping ??= this.end(timeoutMs);
    return this.stopping;
  }

  private async end(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.waiting.size > 0 && !this.stopped && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (this.stopped) return;
    this.stopped = new Error('the conversions thread was stopped');
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage({ close: true } satisfies ThreadRequest);
    const late = setTimeout(() => void this.worker.terminate(), 2000);
    await exited;
    clearTimeout(late);
  }
}
