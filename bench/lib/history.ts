/**
 * Every benchmark run is kept: appended as one JSON line to `bench/history.jsonl` (in git), with
 * its commit, date, machine, CPU reference, settings and every round's figures. The benchmarks
 * page shows the latest run beside the median and the range of all the recorded runs of the same
 * commit and settings, and judges the goals on that median only: one lucky or unlucky run decides
 * nothing, and a run is never dropped to turn a miss into a pass.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { goalMark, type Machine, markdownTable, median, repoRoot } from './report.js';

/** The history file; KUMPPANI_BENCH_HISTORY points elsewhere (a trial of the machinery, say). */
export const historyFile = process.env.KUMPPANI_BENCH_HISTORY ?? path.join(repoRoot, 'bench', 'history.jsonl');

export interface RunRecord {
  /** The benchmark: `redirect`, `track` or `startup`. */
  benchmark: string;
  /** A variant of it measured apart (`sync-full`), or '' for the default. */
  variant: string;
  /** The commit measured, and whether the working tree differed from it (outside the records). */
  commit: string;
  dirty: boolean;
  date: string;
  machine: Omit<Machine, 'date' | 'cpuReferenceMs'>;
  /** Milliseconds of a fixed piece of CPU work at the start of the run (lower is faster). */
  cpuReferenceMs: number;
  /** The command as typed to produce this run. */
  command: string;
  /** What the run was asked to do (durations, rounds, connections, databases …). */
  settings: Record<string, unknown>;
  /** The run's headline figures, named; the page's medians and verdicts are over these. */
  figures: Record<string, number>;
  /** Every round's figures, as measured. */
  rounds: unknown;
  /** The checks this run failed (an answered click not stored, …); empty when it passed them. */
  failures: string[];
}

/** The commit of the working tree, and whether anything but the records differs from it. */
export function currentCommit(): { commit: string; dirty: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  const commit = git('rev-parse', 'HEAD');
  const records = new Set(['bench/history.jsonl', 'docs/benchmarks.md']);
  // Not trimmed: a porcelain line starts with its status columns, the first often a space.
  const changed = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3))
    .filter((file) => !records.has(file));
  return { commit, dirty: changed.length > 0 };
}

export function readHistory(file: string = historyFile): RunRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as RunRecord;
      } catch {
        throw new Error(`${file}:${i + 1} is not a JSON line`);
      }
    });
}

export function appendRun(run: RunRecord, file: string = historyFile): void {
  appendFileSync(file, `${JSON.stringify(run)}\n`);
}

/** The machine as a run record keeps it: the date and CPU reference are fields of their own. */
export function recordMachine(m: Machine): RunRecord['machine'] {
  return { cpuModel: m.cpuModel, cores: m.cores, totalRamBytes: m.totalRamBytes, node: m.node, os: m.os };
}

/** The runs that can be compared with `run`: same benchmark, variant, commit, tree state and settings. */
export function comparableRuns(run: RunRecord, history: readonly RunRecord[]): RunRecord[] {
  const settings = JSON.stringify(run.settings);
  return history.filter(
    (r) =>
      r.benchmark === run.benchmark &&
      r.variant === run.variant &&
      r.commit === run.commit &&
      r.dirty === run.dirty &&
      JSON.stringify(r.settings) === settings,
  );
}

export interface FigureSpec {
  key: string;
  label: string;
  format: (value: number) => string;
  /** A goal judged on the median of the comparable runs. */
  goal?: { text: string; met: (value: number) => boolean };
}

/**
 * The latest run beside the median and range of every comparable run, with the verdicts on the
 * median; then the runs that failed their checks, if any.
 */
export function historyTable(latest: RunRecord, history: readonly RunRecord[], specs: readonly FigureSpec[]): string {
  const runs = comparableRuns(latest, history);
  const rows = specs
    .filter((s) => latest.figures[s.key] !== undefined)
    .map((s) => {
      const values = runs.map((r) => r.figures[s.key]).filter((v): v is number => typeof v === 'number');
      const mid = median(values);
      const range = `${s.format(Math.min(...values))} – ${s.format(Math.max(...values))}`;
      return [
        s.label,
        s.format(latest.figures[s.key] as number),
        `**${s.format(mid)}**`,
        range,
        s.goal?.text ?? '',
        s.goal ? goalMark(s.goal.met(mid)) : '',
      ];
    });
  const failed = runs.filter((r) => r.failures.length > 0);
  const at = `\`${latest.commit.slice(0, 12)}\`${latest.dirty ? ' with uncommitted changes' : ''}`;
  const lines = [
    `**${runs.length} recorded run${runs.length === 1 ? '' : 's'}** of commit ${at} with these settings ` +
      '(every one is in [`bench/history.jsonl`](../bench/history.jsonl)); the verdicts are on their median' +
      (runs.length < 3 ? ', and fewer than three runs are too few to trust.' : '.'),
    '',
    markdownTable(
      ['Figure', 'This run', `Median of ${runs.length}`, `Range of ${runs.length}`, 'Goal', 'Verdict (median)'],
      rows,
      'lrrrll',
    ),
  ];
  if (failed.length > 0) {
    lines.push(
      '',
      `❌ ${failed.length} of these runs failed their checks:`,
      ...failed.map((r) => `- ${r.date}: ${r.failures.join('; ')}`),
    );
  }
  return lines.join('\n');
}
