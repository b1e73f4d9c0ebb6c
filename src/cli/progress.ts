import type { TrafficProgress } from '../demo/traffic.js';

/**
 * A progress bar on stderr for the demo's clicks when stderr is a terminal; otherwise one line on
 * stdout once they are loaded, so logs stay readable.
 */
export async function clickProgress(): Promise<TrafficProgress> {
  if (process.stderr.isTTY) {
    const { default: cliProgress } = await import('cli-progress');
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: '  loading clicks [{bar}] {percentage}% | {value}/{total} | {duration_formatted}',
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    return {
      start: (total) => bar.start(total, 0),
      update: (done) => bar.update(done),
      stop: () => bar.stop(),
    };
  }
  let started = 0;
  let total = 0;
  return {
    start: (n) => {
      total = n;
      started = Date.now();
    },
    update: () => {},
    stop: () =>
      process.stdout.write(
        `  ${total.toLocaleString('en')} clicks loaded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      ),
  };
}

/**
 * A progress bar for long imports and exports on stderr when it is a terminal; otherwise one
 * line on stderr when the work is done, so that a file written to stdout stays clean.
 */
export async function workProgress(label: string): Promise<TrafficProgress> {
  if (process.stderr.isTTY) {
    const { default: cliProgress } = await import('cli-progress');
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `  ${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    return {
      start: (total) => bar.start(total, 0),
      update: (done) => bar.update(done),
      stop: () => bar.stop(),
    };
  }
  let started = 0;
  let done = 0;
  return {
    start: () => {
      started = Date.now();
    },
    update: (n) => {
      done = n;
    },
    stop: () =>
      process.stderr.write(
        `  ${label}: ${done.toLocaleString('en')} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      ),
  };
}
