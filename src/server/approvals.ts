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
