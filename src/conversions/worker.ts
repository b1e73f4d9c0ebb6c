/**
 * The thread that records conversions on SQLite (`ConversionsThread`). The request thread reads,
 * authenticates and checks each delivery, then hands it here; this thread attributes it, works
 * out its commissions and writes them, in group-commit transactions on a connection of its own,
 * and answers once the transaction holding the delivery has committed. So the two cores of a
 * small server share a busy shop's sales instead of one doing all of it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SqliteSync } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { ProgramCache } from '../programs/cache.js';
import { systemClock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import type { WorkspaceScope } from '../shared/principal.js';
import type { ThreadReady } from '../shared/threads.js';
import type { ConversionOutcome, RecordOptions } from './contract.js';
import { conversionsService } from './service.js';

export interface ConversionsWorkerData {
  file: string;
  secret: string;
  /** How its commits wait for the disk; as the server's own connection. */
  synchronous?: SqliteSync | undefined;
}

export type ThreadOperation = 'recordSale' | 'recordLead' | 'recordRefund';

export type ThreadRequest =
  | { seq: number; op: ThreadOperation; scope: WorkspaceScope; input: unknown; options?: RecordOptions }
  /** A program changed: what this thread keeps of it must be read again. */
  | { forget: string }
  /** The log length at which this connection checkpoints itself (see checkpointer.ts). */
  | { checkpointPages: number }
  | { close: true };

/** An error as it crosses threads: an `AppError` keeps its code and fields. */
export type ThreadError =
  | { app: true; code: AppError['code']; message: string; fields: AppError['fields'] }
  | { app: false; message: string; stack: string | undefined; code: string | undefined };

export type ThreadReply = { seq: number; outcome: ConversionOutcome } | { seq: number; error: ThreadError };

const port = parentPort;
if (!port) throw new Error('the conversions thread runs as a worker thread');
const { file, secret, synchronous } = workerData as ConversionsWorkerData;
const database = await openDatabase({ dialect: 'sqlite', file, url: `sqlite://${file}`, synchronous });
const programCache = new ProgramCache();
const service = conversionsService({ db: database.db, clock: systemClock, secret, dialect: 'sqlite', programCache });

const asThreadError = (err: unknown): ThreadError =>
  err instanceof AppError
    ? { app: true, code: err.code, message: err.message, fields: err.fields }
    : {
        app: false,
        message: err instanceof Error ? err.message : String(err),
        stack: (err as Error)?.stack,
        // A database error's own code (SQLITE_BUSY, …), for the request thread's log.
        code: typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : undefined,
      };

port.on('message', (request: ThreadRequest) => {
  if ('forget' in request) {
    void programCache.invalidate(request.forget);
    return;
  }
  if ('checkpointPages' in request) {
    database.sqlite?.pragma(`wal_autocheckpoint = ${request.checkpointPages}`);
    return;
  }
  if ('close' in request) {
    void database.close().finally(() => port.close());
    return;
  }
  const { seq, op, scope, input, options } = request;
  const reply = (message: ThreadReply) => {
    try {
      port.postMessage(message);
    } catch (err) {
      // An answer that cannot be sent fails its delivery alone, never the thread.
      port.postMessage({ seq, error: asThreadError(err) } satisfies ThreadReply);
    }
  };
  (service[op] as (s: WorkspaceScope, i: unknown, o?: RecordOptions) => Promise<ConversionOutcome>)(
    scope,
    input,
    options,
  )
    .then(({ view, ...outcome }) =>
      reply({ seq, outcome: view ? { ...outcome, viewJson: JSON.stringify(view) } : outcome }),
    )
    .catch((err: unknown) => reply({ seq, error: asThreadError(err) }));
});
port.postMessage({ synchronous: database.sqlite?.pragma('synchronous', { simple: true }) } as ThreadReady);
