import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.js';
import { notifyApprovedCommissions } from '../mail/notices.js';
import type { Clock } from '../shared/clock.js';
import type { Services } from './services.js';

/**
 * Every `everyMs` (never two rounds at once; 0 turns it off): monthly network fees are charged as
 * months begin, creators are told of commissions approved since the last round (by the approval
 * job, the command line or a manager), and emails whose delivery failed are retried. Any number
 * of instances may run it: each step writes once whatever runs it.
 */
export function startMoneyRound(deps: {
  db: Db;
  clock: Clock;
  services: Services;
  everyMs: number;
  log: FastifyBaseLogger;
}): { stop(): Promise<void> } {
  const { db, clock, services, everyMs, log } = deps;
  let running: Promise<unknown> | undefined;
  const timer =
    everyMs > 0
      ? setInterval(() => {
          if (running) return;
          running = services.networkFees
            .accrueMonthly()
            .then(() => notifyApprovedCommissions(db, services.mail, clock))
            .then(() => services.mail.kick())
            .catch((err: unknown) => log.error({ err }, 'the money round failed'))
            .finally(() => {
              running = undefined;
            });
        }, everyMs)
      : undefined;
  timer?.unref();
  return {
    async stop() {
      if (timer) clearInterval(timer);
      await running;
      await services.mail.settled();
      services.mail.close();
    },
  };
}
