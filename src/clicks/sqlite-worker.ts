/**
 * The thread that writes clicks on SQLite. The redirect's thread hands it each group-commit
 * batch and answers the visitors when it reports the batch committed, so parsing requests and
 * writing clicks run side by side instead of in turn. It has its own connection to the file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SqliteSync } from '../config/config.js';
import { openSqlite } from '../db/sqlite.js';
import type { ThreadReady } from '../shared/threads.js';
import { sqliteClickBatchWriter } from './sqlite-store.js';
import { decodeClicks } from './wire.js';
import type { WorkerReply, WorkerRequest } from './worker-messages.js';

const port = parentPort;
if (!port) throw new Error('the click writer runs as a worker thread');
const { file, synchronous } = workerData as { file: string; synchronous?: SqliteSync };
const conn = await openSqlite(file, synchronous);
const write = sqliteClickBatchWriter(conn);
port.on('message', (request: WorkerRequest) => {
  if ('checkpointPages' in request) {
    conn.pragma(`wal_autocheckpoint = ${request.checkpointPages}`);
    return;
  }
  const { seq, clicks } = request;
  try {
    const unique = write(decodeClicks(clicks));
    port.postMessage({ seq, unique } satisfies WorkerReply, [unique.buffer]);
  } catch (err) {
    port.postMessage({ seq, error: (err as Error).message } satisfies WorkerReply);
  }
});
port.postMessage({ synchronous: conn.pragma('synchronous', { simple: true }) } as ThreadReady);
