import { availableParallelism } from 'node:os';
import type { Config } from '../config/config.js';
import type { ConversionsPort } from '../conversions/contract.js';
import { ConversionsThread } from '../conversions/thread.js';
import { type Clock, systemClock } from '../shared/clock.js';
import type { LateLog } from './infrastructure.js';

export interface ConversionsThreadDeps {
  config: Config;
  clock: Clock;
  /** The in-process service: it records the deliveries when the thread stops. */
  fallback: ConversionsPort;
  log: LateLog;
  /** Overrides the configured setting (tests). */
  wanted?: boolean | undefined;
  /** The compiled thread, for tests run from sources. */
  script?: URL | undefined;
}

/**
 * On SQLite, sales, leads and refunds are recorded on a thread of their own, by default when
 * there are at least two cores, the clock is the system's and the compiled thread exists;
 * undefined when they are recorded in process.
 */
export async function startConversionsThread(deps: ConversionsThreadDeps): Promise<ConversionsThread | undefined> {
  const { config, clock, log } = deps;
  // The thread reads the system's clock: a server given another clock (tests) records in process.
  const setting = config.conversionsThread ?? 'auto';
  const wanted =
    clock === systemClock && (deps.wanted ?? (setting === 'auto' ? availableParallelism() >= 2 : setting === 'on'));
  if (!wanted || config.database.dialect !== 'sqlite' || config.database.file === ':memory:') return undefined;
  return ConversionsThread.start({
    file: config.database.file,
    secret: config.secret,
    synchronous: config.database.synchronous,
    fallback: deps.fallback,
    ...(deps.script ? { script: deps.script } : {}),
    onStopped: (err) => log()?.error({ err }, 'the conversions thread stopped; deliveries are recorded in process'),
  })
    .then((thread) => {
      if (thread) log()?.info('sales, leads and refunds are recorded on their own thread');
      return thread;
    })
    .catch((err: unknown) => {
      log()?.warn({ err }, 'the conversions thread could not start; deliveries are recorded in process');
      return undefined;
    });
}
