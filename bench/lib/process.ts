import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Children still running; killed if the benchmark stops early, so no server outlives it. */
const live = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
for (const [signal, status] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    for (const child of live) child.kill('SIGKILL');
    process.exit(status);
  });
}

/**
 * The environment for the processes under test: the caller's, without anything that would change what
 * is measured (another database, Redis, a port, a preloaded module).
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('KUMPPANI_') || ['REDIS_URL', 'HOST', 'PORT', 'NODE_OPTIONS'].includes(key)) continue;
    if (key.startsWith('npm_')) continue;
    env[key] = value;
  }
  return env;
}

/** A TCP port nobody listens on right now (the operating system's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Started {
  child: ChildProcess;
  pid: number;
  /** performance.now() just before the spawn. */
  spawnedAt: number;
  exited: Promise<Exit>;
  /** What the child wrote to stderr so far (the first 64 KiB). */
  stderr(): string;
}

/** Spawns a process with stdout ignored and stderr kept, and timestamps the spawn. */
export function start(command: string, args: readonly string[], env: NodeJS.ProcessEnv = cleanEnv()): Started {
  let stderr = '';
  const spawnedAt = performance.now();
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (child.pid === undefined) throw new Error(`cannot spawn ${command}`);
  live.add(child);
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 65_536) stderr += chunk;
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, pid: child.pid, spawnedAt, exited, stderr: () => stderr };
}

interface Answer {
  status: number;
  body: string;
}

/** One GET on a fresh connection; undefined when nothing answers (yet). */
function probe(url: string, timeoutMs: number): Promise<Answer | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

export interface WaitOptions {
  /** Whether an answer counts as healthy. */
  accept: (answer: Answer) => boolean;
  /** Pause between two attempts. */
  intervalMs?: number;
  /** Give up after this long. */
  timeoutMs?: number;
}

/**
 * Polls `url` until it answers acceptably and returns performance.now() at that moment.
 * Fails if the process exits first or nothing acceptable arrives in time.
 */
export async function waitUntilHealthy(started: Started, url: string, options: WaitOptions): Promise<number> {
  const { accept, intervalMs = 5, timeoutMs = 30_000 } = options;
  let exit: Exit | undefined;
  void started.exited.then((e) => {
    exit = e;
  });
  const deadline = performance.now() + timeoutMs;
  let last: Answer | undefined;
  while (performance.now() < deadline) {
    if (exit) {
      throw new Error(
        `process ${started.pid} exited (${exit.code ?? exit.signal}) before ${url} answered:\n${started.stderr()}`,
      );
    }
    const answer = await probe(url, 1000);
    if (answer && accept(answer)) return performance.now();
    last = answer ?? last;
    await sleep(intervalMs);
  }
  started.child.kill('SIGKILL');
  const seen = last ? `last answer ${last.status} ${last.body.slice(0, 200)}` : 'no answer';
  throw new Error(`${url} was not healthy within ${timeoutMs} ms (${seen}):\n${started.stderr()}`);
}

export interface Memory {
  /** Resident set size now (VmRSS), in KiB. */
  rssKiB: number;
  /** Peak resident set size so far (VmHWM), in KiB. */
  hwmKiB: number;
}

/** Reads a process's resident memory from /proc/<pid>/status (Linux only). */
export function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s*(\\d+) kB$`, 'm').exec(status);
    if (!match?.[1]) throw new Error(`no ${name} in /proc/${pid}/status`);
    return Number(match[1]);
  };
  return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat; 10 ms resolution. */
export function readCpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name (which may contain spaces) start at field 3, `state`.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime (14) + stime (15)
  const ticksPerSecond = 100; // USER_HZ, 100 on every Linux architecture Node supports
  return (ticks * 1000) / ticksPerSecond;
}

/** Sends SIGTERM and waits for the exit; SIGKILL (and an error) if it takes longer than `timeoutMs`. */
export async function stop(started: Started, timeoutMs = 15_000): Promise<Exit> {
  started.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const result = await Promise.race([started.exited, timeout]);
  clearTimeout(timer);
  if (result === 'timeout') {
    started.child.kill('SIGKILL');
    throw new Error(`process ${started.pid} did not stop within ${timeoutMs} ms of SIGTERM:\n${started.stderr()}`);
  }
  return result;
}
