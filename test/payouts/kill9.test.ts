import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { approveAll, freshIban, type PayoutWorld, payoutWorld, runPayouts, sale, sepaProfile } from './world.js';

/**
 * A payout run is one transaction: a process killed with SIGKILL in the middle of one (payouts,
 * their events and items written, the entries taken, nothing committed) leaves none of it, and
 * the next run pays everything. The child runs the compiled code in dist/ (npm test builds it).
 */
let t: TestApp;
let w: PayoutWorld;

beforeAll(async () => {
  t = await startTestApp();
  w = await payoutWorld(t, { creators: 5 });
  for (const c of w.creators) {
    await sepaProfile(t, c, freshIban());
    await sale(t, w, c, 80_000);
  }
  await approveAll(t);
});
afterAll(async () => {
  await t?.close();
});

function killInTheMiddle(): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('../fixtures/payout-run-child.mjs', import.meta.url))], {
    env: {
      ...process.env,
      PAYOUT_CHILD: JSON.stringify({
        database: t.database.config,
        programId: w.programId,
        workspaceId: w.brand.workspaceId,
        secret: t.config.secret,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (c) => {
    errors += c;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child never reached the middle of its run: ${errors}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('MIDDLE')) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`the child ended with ${code}: ${errors}`));
      else resolve(signal);
    });
  });
}

describe('a payout run killed with SIGKILL in the middle', () => {
  it('leaves none of the run, and the next run pays every entry', async () => {
    expect(await killInTheMiddle()).toBe('SIGKILL');
    const db = t.database.handle.db;
    const runs = await db.selectFrom('payout_runs').select('id').where('program_id', '=', w.programId).execute();
    const payouts = await db.selectFrom('payouts').select('id').where('program_id', '=', w.programId).execute();
    const taken = await db
      .selectFrom('commissions')
      .select('id')
      .where('program_id', '=', w.programId)
      .where('payout_id', 'is not', null)
      .execute();
    expect({ runs: runs.length, payouts: payouts.length, taken: taken.length }).toEqual({
      runs: 0,
      payouts: 0,
      taken: 0,
    });
    const next = await runPayouts(t, w);
    expect(next.statusCode).toBe(201);
    expect(next.json().data).toHaveLength(5);
  }, 60_000);
});
