import { existsSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';

/** What a thread says once it is ready: how its connection's commits wait for the disk. */
export interface ThreadReady {
  /** SQLite's `synchronous` of the thread's connection (1 NORMAL, 2 FULL). */
  synchronous: number;
}

/** The ready message a thread sent, if it is one; a thread may also just say 'ready'. */
function readyOf(message: unknown): ThreadReady | undefined {
  const synchronous = (message as Partial<ThreadReady> | null)?.synchronous;
  return typeof synchronous === 'number' ? { synchronous } : undefined;
}

/**
 * Starts a compiled worker thread and waits for its first message, which it sends once it is
 * ready (its database open); undefined when the compiled script is not there (the server runs
 * from TypeScript sources). A thread that fails or exits before it is ready is refused with an
 * error that names it.
 */
export async function startThread(
  script: URL,
  workerData: unknown,
  name: string,
): Promise<{ worker: Worker; ready: ThreadReady | undefined } | undefined> {
  if (!/\.m?js$/.test(script.pathname) || !existsSync(script)) return undefined;
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(script, { workerData });
  const ready = await new Promise<ThreadReady | undefined>((resolve, reject) => {
    const failed = (err: Error) => {
      worker.off('message', started);
      worker.off('exit', exited);
      reject(err);
    };
    const exited = (code: number) => failed(new Error(`the ${name} thread could not start (exit code ${code})`));
    const started = (message: unknown) => {
      worker.off('error', failed);
      worker.off('exit', exited);
      resolve(readyOf(message));
    };
    worker.once('message', started);
    worker.once('error', failed);
    worker.once('exit', exited);
  });
  return { worker, ready };
}
