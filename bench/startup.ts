/**
 * Start-up time and idle memory of `kumppani serve` on an existing SQLite database, beside a bare Node
 * HTTP server measured the same way. Run with `npm run bench` (all benchmarks) or `npm run bench:startup`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  appendRun,
  currentCommit,
  type FigureSpec,
  historyTable,
  type RunRecord,
  readHistory,
  recordMachine,
} from './lib/history.js';
import {
  cleanEnv,
  type Exit,
  freePort,
  readCpuTimeMs,
  readMemory,
  type Started,
  start,
  stop,
  waitUntilHealthy,
} from './lib/process.js';
import {
  type BenchSection,
  benchCommand,
  benchmarksFile,
  describeMachine,
  goalMark,
  markdownTable,
  repoRoot,
  runContext,
  type Summary,
  summarize,
  writeSection,
} from './lib/report.js';

const BIN = path.join(repoRoot, 'dist', 'cli', 'main.js');
const NODE = process.execPath;
/** How long a server sits idle after its first answer before its memory is read. */
const IDLE_MS = 2000;
/** Pause between two health checks while a server starts. */
const POLL_MS = 5;
/** Runs of each process made and thrown away first, so that file caches are warm for every measured run. */
const WARMUP_RUNS = 1;
const GOAL_STARTUP_MS = 1000;
const GOAL_IDLE_RSS_MIB = 120;

/** Measured starts of each process: `--runs N` (or BENCH_RUNS), 15 by default. */
function runCount(): number {
  const { values } = parseArgs({ args: process.argv.slice(2), strict: false, options: { runs: { type: 'string' } } });
  const raw = (values.runs as string | undefined) ?? process.env.BENCH_RUNS;
  if (raw === undefined || raw === '') return 15;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--runs must be a positive integer, not ${raw}`);
  return n;
}

interface Run {
  /** From spawn to the end of the first acceptable answer. */
  startupMs: number;
  /** From spawn to the "listening" line on stderr, when the process writes one. */
  listeningMs: number | undefined;
  /** CPU time (user + system) from spawn to the memory reading: the start-up plus the idle period. */
  cpuMs: number;
  idleRssKiB: number;
  peakRssKiB: number;
}

interface Subject {
  name: string;
  spawn(port: number): Started;
  healthPath: string;
  accept(answer: { status: number; body: string }): boolean;
  /** Whether the way the process ended is the expected one. */
  cleanExit(exit: Exit): boolean;
}

function kumppani(dataDir: string): Subject {
  return {
    name: '`kumppani serve`',
    spawn: (port) => start(NODE, [BIN, 'serve', '--data-dir', dataDir, '--port', String(port), '--log-level', 'warn']),
    healthPath: '/healthz',
    accept: ({ status, body }) => {
      if (status !== 200) return false;
      try {
        return (JSON.parse(body) as { status?: unknown }).status === 'ok';
      } catch {
        return false;
      }
    },
    cleanExit: (exit) => exit.code === 0,
  };
}

const BARE_NODE_SCRIPT = "require('http').createServer((q,s)=>s.end('ok')).listen(PORT)";

const bareNode: Subject = {
  name: 'bare Node',
  spawn: (port) => start(NODE, ['-e', BARE_NODE_SCRIPT.replace('PORT', String(port))]),
  healthPath: '/',
  accept: ({ status, body }) => status === 200 && body === 'ok',
  // No SIGTERM handler: Node's default action ends it by the signal.
  cleanExit: (exit) => exit.signal === 'SIGTERM',
};

async function measure(subject: Subject): Promise<Run> {
  const port = await freePort();
  const started = subject.spawn(port);
  let listenedAt: number | undefined;
  started.child.stderr?.on('data', () => {
    if (listenedAt === undefined && / is listening on /.test(started.stderr())) listenedAt = performance.now();
  });
  try {
    const healthyAt = await waitUntilHealthy(started, `http://127.0.0.1:${port}${subject.healthPath}`, {
      accept: subject.accept,
      intervalMs: POLL_MS,
    });
    await sleep(IDLE_MS);
    const memory = readMemory(started.pid);
    const cpuMs = readCpuTimeMs(started.pid);
    const exit = await stop(started);
    if (!subject.cleanExit(exit)) {
      throw new Error(
        `${subject.name} ended with ${exit.code ?? exit.signal} after SIGTERM (expected a clean stop):\n${started.stderr()}`,
      );
    }
    return {
      startupMs: healthyAt - started.spawnedAt,
      listeningMs: listenedAt === undefined ? undefined : listenedAt - started.spawnedAt,
      cpuMs,
      idleRssKiB: memory.rssKiB,
      peakRssKiB: memory.hwmKiB,
    };
  } finally {
    started.child.kill('SIGKILL');
  }
}

/** Fills a new data directory with the demo: the "existing database" every measured start opens. */
function prepareDatabase(dataDir: string): void {
  const result = spawnSync(NODE, [BIN, 'demo', '--data-dir', dataDir], {
    env: cleanEnv(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`kumppani demo failed (${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
  }
}

const ms = (v: number) => `${Math.round(v)} ms`;
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
const times = (a: number, b: number) => `×${(a / b).toFixed(1)}`;

function row(figure: string, who: string, s: Summary, format: (v: number) => string): string[] {
  return [figure, who, format(s.median), format(s.p90), format(s.min), format(s.max)];
}

function log(line: string): void {
  process.stdout.write(`[startup] ${line}\n`);
}

export async function runStartupBenchmark(): Promise<{ section: BenchSection; run: RunRecord }> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
  if (process.platform !== 'linux') throw new Error('the start-up benchmark reads /proc and runs on Linux only');
  const runs = runCount();
  const machine = describeMachine();
  const command = benchCommand('npm run bench:startup');
  const temp = mkdtempSync(path.join(os.tmpdir(), 'kumppani-bench-'));
  const dataDir = path.join(temp, 'data');
  try {
    log(`loading the demo into ${dataDir} (not timed)`);
    prepareDatabase(dataDir);
    const databaseKiB = statSync(path.join(dataDir, 'kumppani.db')).size / 1024;
    const server = kumppani(dataDir);

    for (let i = 0; i < WARMUP_RUNS; i++) {
      await measure(server);
      await measure(bareNode);
    }
    const ours: Run[] = [];
    const bare: Run[] = [];
    for (let i = 1; i <= runs; i++) {
      // Interleaved, so that a noisy moment of the machine hits both series alike.
      const a = await measure(server);
      const b = await measure(bareNode);
      ours.push(a);
      bare.push(b);
      log(
        `run ${i}/${runs}: kumppani ${ms(a.startupMs)}, ${mib(a.idleRssKiB)} idle | ` +
          `bare node ${ms(b.startupMs)}, ${mib(b.idleRssKiB)} idle`,
      );
    }

    const s = {
      startup: summarize(ours.map((r) => r.startupMs)),
      listening: summarize(
        ours.map((r) => {
          if (r.listeningMs === undefined) throw new Error('kumppani serve wrote no "listening" line');
          return r.listeningMs;
        }),
      ),
      cpu: summarize(ours.map((r) => r.cpuMs)),
      idle: summarize(ours.map((r) => r.idleRssKiB)),
      peak: summarize(ours.map((r) => r.peakRssKiB)),
    };
    const b = {
      startup: summarize(bare.map((r) => r.startupMs)),
      cpu: summarize(bare.map((r) => r.cpuMs)),
      idle: summarize(bare.map((r) => r.idleRssKiB)),
      peak: summarize(bare.map((r) => r.peakRssKiB)),
    };
    const k = server.name;
    const table = markdownTable(
      ['Figure', 'Process', 'Median', 'p90', 'Min', 'Max'],
      [
        row('Start-up: spawn → first healthy answer', k, s.startup, ms),
        row('', bareNode.name, b.startup, ms),
        row('Spawn → "listening" line on stderr', k, s.listening, ms),
        row(`CPU time (user + sys), incl. ${IDLE_MS / 1000} s idle`, k, s.cpu, ms),
        row('', bareNode.name, b.cpu, ms),
        row(`Idle RSS (VmRSS, ${IDLE_MS / 1000} s after the first answer)`, k, s.idle, mib),
        row('', bareNode.name, b.idle, mib),
        row('Peak RSS (VmHWM)', k, s.peak, mib),
        row('', bareNode.name, b.peak, mib),
      ],
      'llrrrr',
    );

    const startupMet = s.startup.median < GOAL_STARTUP_MS;
    // The goal says MB; /proc counts KiB. Met only if it holds either way, else the verdict says which.
    const idleBytes = s.idle.median * 1024;
    const metAsMiB = idleBytes < GOAL_IDLE_RSS_MIB * 1024 ** 2;
    const metAsMB = idleBytes < GOAL_IDLE_RSS_MIB * 1e6;
    const memoryVerdict =
      metAsMiB === metAsMB
        ? goalMark(metAsMB)
        : `✅ met as ${GOAL_IDLE_RSS_MIB} MiB, ❌ not as ${GOAL_IDLE_RSS_MIB} × 10⁶ bytes`;
    const goals = markdownTable(
      ['Goal', 'Measured (median)', 'Verdict'],
      [
        [
          `Start-up until \`/healthz\` answers: under ${GOAL_STARTUP_MS / 1000} s`,
          `${ms(s.startup.median)} (p90 ${ms(s.startup.p90)})`,
          goalMark(startupMet),
        ],
        [
          `Idle memory: under ${GOAL_IDLE_RSS_MIB} MB RSS`,
          `${mib(s.idle.median)} = ${(idleBytes / 1e6).toFixed(1)} MB (p90 ${mib(s.idle.p90)})`,
          memoryVerdict,
        ],
      ],
      'llr',
    );

    const run: RunRecord = {
      benchmark: 'startup',
      variant: '',
      ...currentCommit(),
      date: machine.date,
      machine: recordMachine(machine),
      cpuReferenceMs: machine.cpuReferenceMs,
      command,
      settings: { runs, warmupRuns: WARMUP_RUNS, idleMs: IDLE_MS, pollMs: POLL_MS },
      figures: {
        startupMs: s.startup.median,
        listeningMs: s.listening.median,
        cpuMs: s.cpu.median,
        idleRssKiB: s.idle.median,
        peakRssKiB: s.peak.median,
        bareStartupMs: b.startup.median,
        bareIdleRssKiB: b.idle.median,
      },
      rounds: { kumppani: ours, bare },
      failures: [],
    };
    appendRun(run);
    const specs: FigureSpec[] = [
      {
        key: 'startupMs',
        label: 'Start-up until `/healthz` answers (median of the run)',
        format: ms,
        goal: { text: `< ${GOAL_STARTUP_MS / 1000} s`, met: (v) => v < GOAL_STARTUP_MS },
      },
      {
        key: 'idleRssKiB',
        label: 'Idle RSS (median of the run)',
        format: (v) => `${mib(v)} = ${((v * 1024) / 1e6).toFixed(1)} MB`,
        goal: { text: `< ${GOAL_IDLE_RSS_MIB} MB`, met: (v) => v * 1024 < GOAL_IDLE_RSS_MIB * 1e6 },
      },
      { key: 'bareStartupMs', label: 'bare Node start-up (median of the run)', format: ms },
    ];
    const markdown = `${runContext(machine, command)}
- **Commit:** \`${run.commit.slice(0, 12)}\`${run.dirty ? ' (with uncommitted changes)' : ''}
- **Runs:** ${runs} of each process, interleaved, after ${WARMUP_RUNS} discarded warm-up run of each

What is measured: the wall time from spawning \`node dist/cli/main.js serve --data-dir DIR --port PORT --log-level warn\`
until \`GET /healthz\` first answers \`200 {"status":"ok",…}\`, polled on a new connection every ${POLL_MS} ms (so a
start-up figure may be up to ~${POLL_MS} ms late). DIR holds an existing SQLite database, ${Math.round(databaseKiB)} KiB
of demo data loaded once beforehand by \`kumppani demo\` (not timed), so every start only finds the schema up to date.
Then the server is left idle for ${IDLE_MS / 1000} s and its memory read from \`/proc/PID/status\`; then it gets SIGTERM
and must exit with code 0. For reference, a bare Node HTTP server,
\`node -e "${BARE_NODE_SCRIPT}"\`, is measured the same way in the same run.

${table}

Kumppani as a multiple of bare Node (ratio of the medians): start-up ${times(s.startup.median, b.startup.median)},
idle RSS ${times(s.idle.median, b.idle.median)}, peak RSS ${times(s.peak.median, b.peak.median)}.

### Goals

Judged on the median of this run's starts; 1 MiB = 1024 KiB as \`/proc\` counts, 1 MB = 10⁶ bytes.

${goals}

### Every recorded run of this commit

${historyTable(run, readHistory(), specs)}
`;
    return { section: { id: 'startup', title: 'Start-up time and idle memory of `kumppani serve`', markdown }, run };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));

if (invokedDirectly) {
  const { section } = await runStartupBenchmark();
  writeSection(section);
  log(`wrote the "${section.id}" section of ${path.relative(process.cwd(), benchmarksFile)}`);
}
