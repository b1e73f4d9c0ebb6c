import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, dialect } from '../helpers/database.js';

/** The command line as a user runs it: the built executable, in a child process. */
const bin = path.resolve('dist/cli/main.js');
type Empty = Awaited<ReturnType<typeof createEmptyDatabase>>;
let target: Empty;

beforeAll(async () => {
  target = await createEmptyDatabase();
});
afterAll(async () => {
  await target?.drop();
});

function baseEnv(): NodeJS.ProcessEnv {
  const { KUMPPANI_DATABASE_URL, KUMPPANI_SECRET, REDIS_URL, ...rest } = process.env;
  return { ...rest, KUMPPANI_LOG_LEVEL: 'warn' };
}

function dbArgs(t: Empty = target): string[] {
  return ['--data-dir', t.dataDir, ...(dialect === 'postgres' ? ['--database', t.config.url] : [])];
}

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const res = spawnSync(process.execPath, [bin, ...args], {
    env: { ...baseEnv(), ...env },
    encoding: 'utf8',
    // Generous: a demo load on a busy shared machine has taken over a minute.
    timeout: 180_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  /** The server's log so far (JSON lines on stdout). */
  log(): string[];
  /** Resolves when the server writes a log line matching `pattern`. */
  logged(pattern: RegExp): Promise<string>;
}

async function startServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Server> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...args], {
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines: string[] = [];
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      lines.push(line);
      for (const w of waiting.filter((x) => x.pattern.test(line))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(err);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', () => reject(new Error(`server exited: ${err}`)));
  });
  return {
    child,
    url,
    exited,
    log: () => [...lines],
    logged: (pattern) =>
      new Promise((resolve) => {
        const seen = lines.find((l) => pattern.test(l));
        if (seen !== undefined) resolve(seen);
        else waiting.push({ pattern, resolve });
      }),
  };
}

/** A new database with an operator account, migrated by the command line. */
async function databaseWithOperator(): Promise<Empty> {
  const own = await createEmptyDatabase();
  expect(run(['migrate', ...dbArgs(own)]).code).toBe(0);
  const admin = run([
    'admin',
    'create',
    '--email',
    'ops@example.com',
    '--password',
    'a-long-operator-pass',
    ...dbArgs(own),
  ]);
  expect(admin.code, admin.stderr).toBe(0);
  return own;
}

describe('kumppani command line', () => {
  it.each(['serve', 'migrate', 'demo', 'admin create', 'apikey create'])('explains %s with --help', (command) => {
    const res = run([...command.split(' '), '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Usage: kumppani ${command}`);
  });

  it('migrates a new database, then reports it is up to date', async () => {
    const own = await createEmptyDatabase();
    try {
      const first = run(['migrate', ...dbArgs(own)]);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/Applied \d+ migration/);
      const second = run(['migrate', ...dbArgs(own)]);
      expect(second.stdout).toContain('up to date');
    } finally {
      await own.drop();
    }
  });

  it('generates the instance secret once and keeps it private in the data directory', () => {
    expect(run(['migrate', ...dbArgs()]).code).toBe(0);
    const file = path.join(target.dataDir, 'secret');
    const secret = readFileSync(file, 'utf8');
    run(['migrate', ...dbArgs()]);
    expect(readFileSync(file, 'utf8')).toBe(secret);
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('creates an operator and a workspace API key that a running server accepts, across restarts', async () => {
    expect(run(['migrate', ...dbArgs()]).code).toBe(0);
    const admin = run([
      'admin',
      'create',
      '--email',
      'ops@example.com',
      '--password',
      'a-long-operator-pass',
      ...dbArgs(),
    ]);
    expect(admin.code).toBe(0);
    expect(admin.stdout).toContain('Operator ops@example.com created');

    const key = run(['apikey', 'create', '--workspace', 'Operations', '--role', 'viewer', '--name', 'ci', ...dbArgs()]);
    expect(key.code).toBe(0);
    const token = key.stdout.trim().split('\n').pop() ?? '';
    expect(token).toMatch(/^kpk_/);

    for (let round = 0; round < 2; round++) {
      const server = await startServer(dbArgs());
      try {
        const health = await fetch(`${server.url}/healthz`);
        expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });
        const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
        expect(me.status).toBe(200);
        expect(((await me.json()) as { workspace: { role: string } }).workspace.role).toBe('viewer');
      } finally {
        server.child.kill('SIGTERM');
        expect(await server.exited).toBe(0);
      }
    }
  }, 120_000); // five commands and two server starts, each a child process

  it('stops cleanly on SIGTERM, finishing the request in flight', async () => {
    const own = await databaseWithOperator();
    try {
      const server = await startServer(dbArgs(own), { KUMPPANI_LOG_LEVEL: 'info' });
      const login = fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ops@example.com', password: 'a-long-operator-pass' }),
      });
      // The stop is asked for once the server has the request: the log line of its arrival.
      await server.logged(/"url":"\/api\/v1\/auth\/login".*"msg":"incoming request"/);
      server.child.kill('SIGTERM');
      const res = await login;
      expect(res.status).toBe(200);
      expect(await server.exited).toBe(0);
      // The request was still in flight when the stop began: its answer was logged after.
      const messages = server
        .log()
        .map((l) => (JSON.parse(l) as { msg?: string }).msg)
        .filter((m) => m === 'incoming request' || m === 'shutting down' || m === 'request completed');
      expect(messages).toEqual(['incoming request', 'shutting down', 'request completed']);
    } finally {
      await own.drop();
    }
  }, 120_000); // three commands and a server start, each a child process

  it('loads the demo only into an empty database', async () => {
    const fresh = await createEmptyDatabase();
    try {
      const demo = run(['demo', '--clicks', '2000', ...dbArgs(fresh)]);
      expect(demo.stderr).toBe('');
      expect(demo.code).toBe(0);
      expect(demo.stdout).toContain('Revontuli Active Oy');
      expect(demo.stdout).toContain('Mesa Glow Skincare');
      expect(demo.stdout).toMatch(/password: \S+/);
      expect(demo.stdout).toContain('Creators: 40');
      expect(demo.stdout).toMatch(/tracked links, 2,000 clicks over the last 60 days/);
      expect(demo.stdout).toMatch(/Try a link: curl -si http:\/\/\S+\/\S+\/bio/);
      expect(run(['demo', '--clicks', 'many', ...dbArgs(fresh)]).stderr).toMatch(/--clicks must be a whole number/);

      const again = run(['demo', ...dbArgs(fresh)]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/^kumppani: the database already has data/);
      expect(run(['demo', '--if-empty', ...dbArgs(fresh)]).code).toBe(0);
    } finally {
      await fresh.drop();
    }
  }, 400_000); // three demo loads, each a child process writing the whole demo world

  it.each([
    ['an unsupported database URL', ['--database', 'mysql://root@localhost/kumppani'], /unsupported database URL/],
    [
      'an unreachable PostgreSQL server',
      ['--database', 'postgres://postgres:secret@127.0.0.1:1/none'],
      /cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@/,
    ],
    [
      'an unwritable data directory',
      ['--data-dir', '/etc/hostname/kumppani'],
      /data directory \/etc\/hostname\/kumppani is not writable/,
    ],
    ['an invalid port', ['--port', '99999'], /invalid port/],
  ])('refuses %s with one line and exit code 1', (_what, args, message) => {
    const res = run(['serve', ...args]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(message);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses approve-due --at a time in the future', () => {
    const res = run([
      'commissions',
      'approve-due',
      '--at',
      new Date(Date.now() + 86_400_000).toISOString(),
      ...dbArgs(),
    ]);
    expect([res.code, res.stderr]).toEqual([1, expect.stringContaining('is in the future')]);
  });

  it('approves as of a time in the past', () => {
    const res = run(['commissions', 'approve-due', '--at', '2026-01-01T00:00:00Z', ...dbArgs()]);
    expect([res.code, res.stdout]).toEqual([0, expect.stringContaining('ended by 2026-01-01T00:00:00.000Z')]);
  });

  it('refuses a bad environment value with one line', () => {
    const res = run(['migrate', ...dbArgs()], { PORT: 'eighty' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^kumppani: invalid configuration: PORT/);
  });
});
