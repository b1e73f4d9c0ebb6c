import { parseArgs } from 'node:util';

/**
 * A benchmark's settings, from its flags (`npm run bench:redirect -- --duration 2 --rounds 1`)
 * or, as before, from BENCH_* variables; the flags win. Short runs check the machinery; the
 * defaults are what the recorded figures are measured with.
 */
export interface BenchOptions {
  /** Seconds of load per measured round. */
  duration: number;
  rounds: number;
  /** `sqlite`, `postgres` or both. */
  dialects: ('sqlite' | 'postgres')[];
  /** Benchmark-specific values by flag name (`stats-clicks`, `load`, `sync`, `runs`). */
  extra: Record<string, string | undefined>;
}

function positiveInteger(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, not ${raw}`);
  return n;
}

export function benchOptions(
  defaults: { duration: number; rounds: number },
  extraFlags: Record<string, { env: string; default?: string }> = {},
  argv: string[] = process.argv.slice(2),
): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      duration: { type: 'string' },
      rounds: { type: 'string' },
      dialects: { type: 'string' },
      // The start-up benchmark's own flag, accepted here so that `npm run bench -- --runs N` works.
      runs: { type: 'string' },
      ...Object.fromEntries(Object.keys(extraFlags).map((k) => [k, { type: 'string' as const }])),
    },
  });
  const v = values as Record<string, string | undefined>;
  const pick = (flag: string, env: string) => v[flag] ?? (process.env[env] || undefined);
  const dialects = (pick('dialects', 'BENCH_DIALECTS') ?? 'sqlite,postgres').split(',').map((d) => d.trim());
  for (const d of dialects) {
    if (d !== 'sqlite' && d !== 'postgres') throw new Error(`--dialects takes sqlite and/or postgres, not ${d}`);
  }
  const duration = pick('duration', 'BENCH_DURATION');
  const rounds = pick('rounds', 'BENCH_ROUNDS');
  return {
    duration: duration ? positiveInteger('duration', duration) : defaults.duration,
    rounds: rounds ? positiveInteger('rounds', rounds) : defaults.rounds,
    dialects: dialects as BenchOptions['dialects'],
    extra: Object.fromEntries(
      Object.entries(extraFlags).map(([flag, spec]) => [flag, pick(flag, spec.env) ?? spec.default]),
    ),
  };
}
