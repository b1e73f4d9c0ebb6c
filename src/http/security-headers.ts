import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The security headers every answer carries. The set is the same for every request, so helmet
 * runs once at start-up against a recording response and its headers are then set from a frozen
 * list — helmet's choices, without its per-request work (it parses the policy again each time).
 */
export function securityHeaders(options: HelmetOptions): ReadonlyArray<readonly [string, string]> {
  const recorded: [string, string][] = [];
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      recorded.push([name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value)]);
    },
    removeHeader(name: string) {
      const lower = name.toLowerCase();
      for (let i = recorded.length - 1; i >= 0; i--) if (recorded[i]?.[0] === lower) recorded.splice(i, 1);
    },
  } as unknown as ServerResponse;
  let called = false;
  helmet(options)({} as IncomingMessage, res, (err?: unknown) => {
    if (err) throw err;
    called = true;
  });
  if (!called) throw new Error('helmet did not finish synchronously');
  return Object.freeze(recorded.map((h) => Object.freeze(h)));
}
