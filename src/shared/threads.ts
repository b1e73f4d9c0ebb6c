import { existsSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';

/**
 * Starts a compiled worker thread and waits for its first message, which it sends once it is
 * ready (its database open); undefined when the compiled script is not there (the server runs
 * from TypeScript sources). A thread that fails or exits before it is ready is refused with an
 * error that names it.
 */
export async function startThread(script: URL, workerData: unknown, name: string): Promise<Worker | undefined> {
  if (!/\.m?js$/.test(script.pathname) || !existsSync(script)) return undefined;
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(script, { workerData });
  await new Promise<void>((resolve, reject) => {
    const failed = (err: Error) => {
      worker.off('message', ready);
      worker.off('exit', exited);
      reject(err);
    };
    const exited = (code: number) => failed(new Error(`the ${name} thread could not start (exit code ${code})`));
    const ready = () => {
      worker.off('error', failed);
      worker.off('exit', exited);
      resolve();
    };
    worker.once('message', ready);
    worker.once('error', failed);
    worker.once('exit', exited);
  });
  return worker;
}
