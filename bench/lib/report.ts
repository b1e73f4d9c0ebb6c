import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One benchmark's part of docs/benchmarks.md, delimited by `<!-- bench:ID:start -->` / `<!-- bench:ID:end -->`. */
export interface BenchSection {
  /** A stable identifier made of lowercase letters, digits and dashes, e.g. `startup`. */
  id: string;
  title: string;
  /** The section's body, below its title: date, machine, command, figures, goals. */
  markdown: string;
}

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const benchmarksFile = path.join(repoRoot, 'docs', 'benchmarks.md');

// ---------------------------------------------------------------------------------------------
// The machine
// ---------------------------------------------------------------------------------------------

export interface Machine {
  /** When the benchmark ran, ISO 8601 (UTC). */
  date: string;
  cpuModel: string;
  /** Logical CPUs the process may run on. */
  cores: number;
  totalRamBytes: number;
  node: string;
  os: string;
  /** Milliseconds this process took for a fixed piece of work (see `cpuReference`). */
  cpuReferenceMs: number;
}

/**
 * A fixed piece of CPU work (200,000 SHA-256 digests of short strings), timed as the median of
 * five tries. Machines of the same name are not equally fast from one day to the next (the
 * cores are shared): this figure tells two runs' absolute numbers apart, while their ratios
 * stay comparable.
 */
export function cpuReference(): number {
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    for (let i = 0; i < 40_000; i++) createHash('sha256').update(`reference ${i}`).digest();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Math.round((times[2] as number) * 5);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function cpuModel(): string {
  const fromProc = /^model name\s*:\s*(.+)$/m.exec(readText('/proc/cpuinfo') ?? '')?.[1]?.trim();
  return fromProc || os.cpus()[0]?.model?.trim() || 'unknown CPU';
}

function osRelease(): string {
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readText('/etc/os-release') ?? '')?.[1];
  const kernel = `${os.type()} ${os.release()} ${os.arch()}`;
  return pretty ? `${pretty} (${kernel})` : kernel;
}

export function describeMachine(): Machine {
  return {
    date: new Date().toISOString(),
    cpuModel: cpuModel(),
    cores: os.availableParallelism(),
    totalRamBytes: os.totalmem(),
    node: process.version,
    os: osRelease(),
    cpuReferenceMs: cpuReference(),
  };
}

/** The command that produced the figures, as someone would type it again. */
export function benchCommand(fallback: string): string {
  const script = process.env.npm_lifecycle_event;
  const runs = process.env.BENCH_RUNS ? `BENCH_RUNS=${process.env.BENCH_RUNS} ` : '';
  return `${runs}${script?.startsWith('bench') ? `npm run ${script}` : fallback}`;
}

/** The lines every section starts with: when, where and how the figures were produced. */
export function runContext(machine: Machine, command: string): string {
  const ram = (machine.totalRamBytes / 1024 ** 3).toFixed(1);
  return [
    `- **Date:** ${machine.date}`,
    `- **Machine:** ${machine.cpuModel}, ${machine.cores} cores, ${ram} GiB RAM; Node ${machine.node}; ${machine.os}; CPU reference ${machine.cpuReferenceMs} ms (200,000 SHA-256 digests; lower is faster)`,
    `- **Command:** \`${command}\``,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error('no values to summarise');
  return [...values].sort((a, b) => a - b);
}

export function median(values: readonly number[]): number {
  const s = sorted(values);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The nearest-rank percentile: the smallest value that at least p % of the values do not exceed. */
export function percentile(values: readonly number[], p: number): number {
  const s = sorted(values);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1]!;
}

export const p90 = (values: readonly number[]): number => percentile(values, 90);
export const min = (values: readonly number[]): number => sorted(values)[0]!;
export const max = (values: readonly number[]): number => sorted(values).at(-1)!;

export interface Summary {
  n: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  return { n: values.length, median: median(values), p90: p90(values), min: min(values), max: max(values) };
}

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

export const goalMark = (met: boolean): string => (met ? '✅ met' : '❌ not met');

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align?: string): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

const HEADER = `# Benchmarks

Figures measured by the scripts in [\`bench/\`](../bench). Run them all with:

\`\`\`sh
npm run bench
\`\`\`

(\`npm run bench:startup\` runs only the start-up benchmark; \`BENCH_RUNS=N\` changes the number of runs.)
The scripts rewrite their own section of this file and leave the others alone.

The machine they run on is shared and noisy, so every figure is the **median** of repeated runs, with the
90th percentile, minimum and maximum beside it; no single run means much on its own. Compare figures only
between runs on the same machine.
`;

const startMarker = (id: string) => `<!-- bench:${id}:start -->`;
const endMarker = (id: string) => `<!-- bench:${id}:end -->`;

/** Puts the section in the benchmarks document: replaced in place if it exists, appended otherwise. */
export function renderDocument(existing: string | undefined, section: BenchSection): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(section.id)) throw new Error(`invalid benchmark section id ${section.id}`);
  const block = `${startMarker(section.id)}\n## ${section.title}\n\n${section.markdown.trim()}\n${endMarker(section.id)}`;
  const doc = existing?.trim() ? existing : HEADER;
  const start = doc.indexOf(startMarker(section.id));
  const end = doc.indexOf(endMarker(section.id));
  if (start !== -1 && end > start) {
    return `${doc.slice(0, start)}${block}${doc.slice(end + endMarker(section.id).length)}`;
  }
  if (start !== -1 || end !== -1) {
    throw new Error(`docs/benchmarks.md has a broken section ${section.id}: fix or remove its markers`);
  }
  return `${doc.trimEnd()}\n\n${block}\n`;
}

export function writeSection(section: BenchSection, file: string = benchmarksFile): void {
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const next = renderDocument(existing, section);
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, next);
  renameSync(temp, file);
}
