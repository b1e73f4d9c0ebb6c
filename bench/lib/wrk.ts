import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What one run of wrk reports, from its `done` hook. */
export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  /** Answers other than 2xx or 3xx. */
  statusErrors: number;
  /** Connect, read, write errors and timeouts. */
  socketErrors: number;
}

/** Whether wrk is installed (`scripts/ensure-wrk.sh` installs Debian's package). */
export function wrkAvailable(): boolean {
  const probe = spawnSync('wrk', ['--version'], { stdio: 'ignore' });
  return probe.error === undefined;
}

// The figures are printed by wrk's `done` hook as one JSON line; a script with no `request` or
// `response` function leaves wrk's own fast path for sending and reading untouched.
const DONE_HOOK = `done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"duration":%d,"status":%d,"socket":%d,"p50":%d,"p99":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;

/**
 * Runs wrk with one thread (the load generator's share of a small machine stays one core at
 * most) against one URL with fixed headers, and answers its figures.
 */
export async function runWrk(options: {
  url: string;
  connections: number;
  seconds: number;
  headers: Record<string, string>;
}): Promise<WrkResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kumppani-wrk-'));
  const script = path.join(dir, 'done.lua');
  writeFileSync(script, DONE_HOOK);
  const args = ['-t', '1', '-c', String(options.connections), '-d', `${options.seconds}s`, '-s', script];
  for (const [name, value] of Object.entries(options.headers)) args.push('-H', `${name}: ${value}`);
  args.push(options.url);
  try {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('wrk', args, { maxBuffer: 1 << 20 }, (err, out) => (err ? reject(err) : resolve(out))),
    );
    const line = stdout
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('{'));
    if (!line) throw new Error(`wrk printed no figures:\n${stdout}`);
    const r = JSON.parse(line) as {
      requests: number;
      duration: number;
      status: number;
      socket: number;
      p50: number;
      p99: number;
    };
    const seconds = r.duration / 1e6;
    return {
      requests: r.requests,
      seconds,
      rps: r.requests / seconds,
      p50: r.p50 / 1000,
      p99: r.p99 / 1000,
      statusErrors: r.status,
      socketErrors: r.socket,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
