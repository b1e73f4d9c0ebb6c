import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import * as repo from './repository.js';

const DAY_MS = 86_400_000;

export interface WatchDeps {
  db: Db;
  clock: Clock;
  /** Names the checker and where to read about it, so that a shop's operator knows who calls. */
  userAgent: string;
  /** The HTTP client; tests hand one that sends the same requests to a local server. */
  fetch?: typeof fetch;
  /** At least this long between two requests to the same host. */
  perHostGapMs?: number;
  timeoutMs?: number;
  /** At most this many links per run. */
  batch?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface WatchResult {
  checked: number;
  broken: number;
}

/**
 * Looks at the destinations of the links on bio pages that were not looked at in the last day:
 * one request at a time, a pause between two to the same host, a HEAD first (a GET, whose body
 * is not read, only when HEAD is not allowed), following the shop's own redirects. A page that
 * answers 404 or 410 is marked broken for its creator; a timeout or a refused connection is
 * kept as it is, not taken for a gone page.
 */
export async function checkDueDestinations(deps: WatchDeps): Promise<WatchResult> {
  const doFetch = deps.fetch ?? fetch;
  const gap = deps.perHostGapMs ?? 2_000;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = deps.clock.now();
  const due = await repo.linksDueForCheck(deps.db, new Date(now.getTime() - DAY_MS).toISOString(), deps.batch ?? 500);
  const lastAt = new Map<string, number>();
  let broken = 0;
  for (const link of due) {
    const host = new URL(link.destination_url).hostname;
    const last = lastAt.get(host);
    if (last !== undefined) {
      const wait = last + gap - Date.now();
      if (wait > 0) await sleep(wait);
    }
    lastAt.set(host, Date.now());
    const headers = { 'user-agent': deps.userAgent, accept: 'text/html,*/*;q=0.8' };
    let httpStatus: number | null = null;
    let detail: string | null = null;
    try {
      let res = await doFetch(link.destination_url, {
        method: 'HEAD',
        headers,
        redirect: 'follow',
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (res.status === 405 || res.status === 501) {
        res = await doFetch(link.destination_url, {
          method: 'GET',
          headers,
          redirect: 'follow',
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.body?.cancel();
      }
      httpStatus = res.status;
    } catch (err) {
      detail = err instanceof Error ? err.message.slice(0, 200) : 'the request failed';
    }
    const isBroken = httpStatus === 404 || httpStatus === 410;
    if (isBroken) broken += 1;
    await repo.saveCheck(deps.db, {
      linkId: link.id,
      checkedAt: deps.clock.now().toISOString(),
      httpStatus,
      broken: isBroken,
      detail,
    });
  }
  return { checked: due.length, broken };
}
