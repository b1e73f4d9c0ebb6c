import type { FastifyBaseLogger } from 'fastify';
import { checkDueDestinations } from '../bio/watch.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { API_VERSION } from './openapi.js';

export interface DestinationWatch {
  /** Stops the timer and waits for a run under way. */
  stop(): Promise<void>;
}

/**
 * The destination watch: every `everyMs` (never two runs at once; 0 turns it off), the links on
 * bio pages whose destination was not looked at in the last day are checked, and those whose
 * shop page answers 404 or 410 are marked for their creator.
 */
export function startDestinationWatch(opts: {
  db: Db;
  clock: Clock;
  publicUrl: string;
  everyMs: number;
  fetch?: typeof fetch | undefined;
  log: FastifyBaseLogger;
}): DestinationWatch {
  let watching: Promise<unknown> | undefined;
  const timer =
    opts.everyMs > 0
      ? setInterval(() => {
          if (watching) return;
          watching = checkDueDestinations({
            db: opts.db,
            clock: opts.clock,
            userAgent: `KumppaniLinkCheck/${API_VERSION} (+${opts.publicUrl}; checks creators' affiliate links at most once a day)`,
            ...(opts.fetch ? { fetch: opts.fetch } : {}),
          })
            .then((r) => {
              if (r.checked > 0) opts.log.info(r, 'bio link destinations checked');
            })
            .catch((err: unknown) => opts.log.error({ err }, 'checking bio link destinations failed'))
            .finally(() => {
              watching = undefined;
            });
        }, opts.everyMs)
      : undefined;
  timer?.unref();
  return {
    async stop() {
      if (timer) clearInterval(timer);
      await watching;
    },
  };
}
