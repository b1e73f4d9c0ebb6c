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
/** The benchmarks page; KUMPPANI_BENCH_DOCS points elsewhere (a trial of the machinery, say). */
export const benchmarksFile = process.env.KUMPPANI_BENCH_DOCS ?? path.join(repoRoot, 'docs', 'benchmarks.md');

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

/**
 * The command that produced the figures, as someone would type it again: the npm script with the
 * flags it was given, and any BENCH_* variable that was set.
 */
export function benchCommand(fallback: string): string {
  const script = process.env.npm_lifecycle_event;
  const env = Object.entries(process.env)
    .filter(([name, value]) => name.startsWith('BENCH_') && value)
    .map(([name, value]) => `${name}=${value} `)
    .join('');
  const args = process.argv.slice(2);
  const base = script?.startsWith('bench') ? `npm run ${script}` : fallback;
  return `${env}${base}${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
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

Figures measured by the scripts in [\`bench/\`](../bench). Every figure below names the command that produced it; run
them all with \`npm run bench\`, or one at a time:

\`\`\`sh
bash scripts/ensure-wrk.sh      # wrk, the load generator the redirect goals are judged on (Debian's package)
npm run bench:redirect          # redirect throughput and p99 against bare node:http, and link statistics
npm run bench:track             # attributed sales through the track API against an empty authenticated POST
npm run bench:startup           # start-up time and idle memory
npm run bench:redirect -- --sync full --dialects sqlite   # the redirect with KUMPPANI_SQLITE_SYNC=full
\`\`\`

Flags for a short check of the machinery: \`--duration S\` (seconds per round), \`--rounds N\`, \`--dialects sqlite\` or
\`postgres\`, and for the redirect \`--stats-clicks N\` and \`--load wrk|autocannon\`; for the start-up \`--runs N\`. Runs
with other settings are summarised apart from the default ones.

**Every run is kept.** Each run appends itself — commit, date, machine, CPU reference, settings and every round's
figures — to [\`bench/history.jsonl\`](../bench/history.jsonl), and rewrites its own section of this page: the latest
run beside the median and the range of every recorded run of the same commit and settings. A goal is met only if that
**median** meets it; runs are never dropped or repeated until one passes. The machine is shared and noisy: throughput
and latency are judged as ratios to a reference measured in the same round (the bare server, or the empty request),
with the absolute figures beside them. A run that finds an answered click or sale missing from the database fails (its
command exits with 1) and is shown as failed.
`;

const startMarker = (id: string) => `<!-- bench:${id}:start -->`;
const endMarker = (id: string) => `<!-- bench:${id}:end -->`;

/** Puts the section in the benchmarks document: replaced in place if it exists, appended otherwise. */
export function renderDocument(existing: string | undefined, section: BenchSection): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(section.id)) throw new Error(`invalid benchmark section id ${section.id}`);
  const block = `${startMarker(section.id)}\n## ${section.title}\n\n${section.markdown.trim()}\n${endMarker(section.id)}`;
  // The page's introduction is always this version's; the sections below it are kept.
  const first = existing?.indexOf('<!-- bench:') ?? -1;
  const doc = first > -1 && existing ? `${HEADER}\n${existing.slice(first)}` : HEADER;
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
