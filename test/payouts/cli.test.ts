import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { approveAll, freshIban, type PayoutWorld, payoutWorld, sale, sepaProfile, validateSepa } from './world.js';

/** `kumppani payouts run` and `kumppani payouts export`, the built executable in a child process. */
const bin = path.resolve('dist/cli/main.js');
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

/** Three creators with 70.00 € approved each, paid by SEPA. */
async function approvedWorld(): Promise<PayoutWorld> {
  const w = await payoutWorld(t, { creators: 3 });
  for (const c of w.creators) {
    await sepaProfile(t, c, freshIban());
    await sale(t, w, c, 70_000);
  }
  await approveAll(t);
  return w;
}

/** `kumppani payouts run` on the program; the id of the run it names. */
function runByCommand(w: PayoutWorld) {
  const res = kumppani(['payouts', 'run', '--program', w.programId]);
  expect(res.code).toBe(0);
  const match = /^Run (prun_[0-9a-z]{26}): paid 3 creators 210\.00 EUR/.exec(res.stdout);
  expect(match).not.toBeNull();
  return { res, runId: match?.[1] ?? '' };
}
afterAll(async () => {
  await t?.close();
});

function kumppani(args: string[]) {
  const config = t.database.config;
  const { KUMPPANI_DATABASE_URL, REDIS_URL, ...env } = process.env;
  const res = spawnSync(
    process.execPath,
    [
      bin,
      ...args,
      '--data-dir',
      t.database.dataDir,
      '--database',
      config.dialect === 'postgres' ? config.url : config.file,
    ],
    {
      env: { ...env, KUMPPANI_SECRET: t.config.secret, KUMPPANI_LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('kumppani payouts', () => {
  it('run --dry-run tells what would be paid and pays nothing', async () => {
    const w = await approvedWorld();
    const res = kumppani(['payouts', 'run', '--program', w.programId, '--dry-run']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Dry run: would pay 3 creators 210\.00 EUR/);
    const payouts = await t.database.handle.db
      .selectFrom('payouts')
      .select('id')
      .where('program_id', '=', w.programId)
      .execute();
    expect(payouts).toHaveLength(0);
  });

  it('run pays the program and names the run', async () => {
    const { res } = runByCommand(await approvedWorld());
    expect(res.stdout).toContain('  sepa: 3');
  });

  it('export writes the run’s SEPA file, valid against the schema', async () => {
    const { runId } = runByCommand(await approvedWorld());
    const out = path.join(t.database.dataDir, 'run.xml');
    const res = kumppani(['payouts', 'export', '--run', runId, '--format', 'sepa-xml', '--out', out]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`3 payouts, 21000 in minor units, written to ${out}`);
    const xml = readFileSync(out, 'utf8');
    validateSepa(xml, '09');
    expect(xml.match(/<CdtTrfTxInf>/g)).toHaveLength(3);
  });

  it('refuses an unknown program with one line and exit code 1', () => {
    const res = kumppani(['payouts', 'run', '--program', 'prg_00000000000000000000000000']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('kumppani: no program prg_00000000000000000000000000\n');
  });
});
