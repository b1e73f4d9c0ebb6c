import type { FastifyBaseLogger } from 'fastify';

export interface ApprovalJob {
  /** Stops the timer and waits for a run under way. */
  stop(): Promise<void>;
}

/**
 * Pending commissions become approved once their holding period ends: `approveDue` runs every
 * `everyMs` (never two runs at once; 0 turns the job off). Every instance may run this: the
 * update is conditional, so each commission is approved once.
 */
export function startApprovals(
  approveDue: () => Promise<number>,
  everyMs: number,
  log: FastifyBaseLogger,
): ApprovalJob {
  let approving: Promise<unknown> | undefined;
  const timer =
    everyMs > 0
      ? setInterval(() => {
          if (approving) return;
          approving = approveDue()
            .then((n) => {
              if (n > 0) log.info({ approved: n }, 'commissions approved after their holding period');
            })
            .catch((err: unknown) => log.error({ err }, 'approving due commissions failed'))
            .finally(() => {
              approving = undefined;
            });
        }, everyMs)
      : undefined;
  timer?.unref();
  return {
    async stop() {
      if (timer) clearInterval(timer);
      await approving;
    },
  };
}

/**
 * Weekly and monthly payout runs, once their moment has passed (`runDue` every `everyMs`; never
 * two passes at once; 0 turns it off). Each program's run is claimed before it runs, so several
 * instances run it once.
 */
export function startPayoutSchedule(
  runDue: () => Promise<{ programId: string; runId: string | null; payouts: number; error?: string }[]>,
  everyMs: number,
  log: FastifyBaseLogger,
): ApprovalJob {
  let running: Promise<unknown> | undefined;
  const timer =
    everyMs > 0
      ? setInterval(() => {
          if (running) return;
          running = runDue()
            .then((outcomes) => {
              for (const o of outcomes) {
                if (o.error) log.error(o, 'a scheduled payout run failed');
                else log.info(o, 'scheduled payout run');
              }
            })
            .catch((err: unknown) => log.error({ err }, 'scheduled payout runs failed'))
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
    },
  };
}
