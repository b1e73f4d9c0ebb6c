/**
 * The thread that checkpoints the SQLite write-ahead log, with its own connection, so that the
 * request thread never stops to copy pages into the database file and wait for the disk (see
 * checkpointer.ts). It writes no rows: it only moves committed pages from the log into the file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SqliteSync } from '../config/config.js';
import type { ThreadReady } from '../shared/threads.js';
import { openSqlite } from './sqlite.js';

export interface CheckpointWorkerData {
  file: string;
  intervalMs: number;
  synchronous?: SqliteSync | undefined;
}

/** What the thread reports after each pass that found the log changed: its length in frames. */
export type CheckpointReport = { log: number } | { error: string };

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

const port = parentPort;
if (!port) throw new Error('the checkpointer runs as a worker thread');
const { file, intervalMs, synchronous } = workerData as CheckpointWorkerData;
const conn = await openSqlite(file, synchronous);
conn.pragma('wal_autocheckpoint = 0');

let lastLog = -1;
let timer: NodeJS.Timeout | undefined;
function pass(): void {
  try {
    // PASSIVE never blocks the writer: it copies what is committed and leaves the rest.
    const [row] = conn.pragma('wal_checkpoint(PASSIVE)') as CheckpointRow[];
    if (row && row.log !== lastLog) {
      lastLog = row.log;
      port?.postMessage({ log: row.log } satisfies CheckpointReport);
    }
  } catch (err) {
    port?.postMessage({ error: (err as Error).message } satisfies CheckpointReport);
  }
  timer = setTimeout(pass, intervalMs);
}

// Asked to stop, the thread finishes its pass, closes its connection and exits.
port.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  conn.close();
  port.close();
});
port.postMessage({ synchronous: conn.pragma('synchronous', { simple: true }) } as ThreadReady);
timer = setTimeout(pass, intervalMs);
