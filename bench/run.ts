/** Runs every benchmark and writes each one's section of docs/benchmarks.md: `npm run bench`. */
import path from 'node:path';
import type { RunRecord } from './lib/history.js';
import { type BenchSection, benchmarksFile, writeSection } from './lib/report.js';
import { runRedirectBenchmark } from './redirect.js';
import { runStartupBenchmark } from './startup.js';
import { runTrackBenchmark } from './track.js';

const benchmarks: ReadonlyArray<() => Promise<{ section: BenchSection; run: RunRecord }>> = [
  runStartupBenchmark,
  runRedirectBenchmark,
  runTrackBenchmark,
];

for (const benchmark of benchmarks) {
  const { section, run } = await benchmark();
  writeSection(section);
  process.stdout.write(`wrote the "${section.id}" section of ${path.relative(process.cwd(), benchmarksFile)}\n`);
  if (run.failures.length > 0) {
    process.stderr.write(`the ${run.benchmark} run failed its checks:\n${run.failures.join('\n')}\n`);
    process.exitCode = 1;
  }
}
