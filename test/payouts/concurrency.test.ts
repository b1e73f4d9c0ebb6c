import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payoutServices } from '../../src/payouts/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { trustedScope } from '../../src/shared/principal.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dialect } from '../helpers/database.js';
import { approveAll, freshIban, type PayoutWorld, payoutWorld, runPayouts, sale, sepaProfile } from './world.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function world(creators: number): Promise<PayoutWorld> {
  const w = await payoutWorld(t, { creators });
  for (const c of w.creators) {
    await sepaProfile(t, c, freshIban());
    await sale(t, w, c, 60_000);
    await sale(t, w, c, 10_000);
  }
  await approveAll(t);
  return w;
}

async function itemsOf(programId: string): Promise<string[]> {
  const items = await t.database.handle.db
    .selectFrom('payout_items')
    .innerJoin('payouts', 'payouts.id', 'payout_items.payout_id')
    .select('payout_items.commission_id')
    .where('payouts.program_id', '=', programId)
    .execute();
  return items.map((i) => i.commission_id);
}

describe('two payout runs of one program at once', () => {
  it('answer 409 to the run that starts while the first is under way, and the first pays everything', async () => {
    const w = await world(4);
    const { runs } = payoutServices({
      db: t.database.handle.db,
      clock: systemClock,
      secret: t.config.secret,
      dialect: t.database.handle.dialect,
    });
    let second: Awaited<ReturnType<typeof runPayouts>> | undefined;
    const first = await runs.run(
      trustedScope(w.brand.workspaceId),
      w.programId,
      {},
      {
        trigger: 'api',
        actor: 'test',
        afterLock: async () => {
          second = await runPayouts(t, w);
        },
      },
    );
    expect(second?.statusCode).toBe(409);
    expect(second?.json().error.code).toBe('PAYOUT_RUN_IN_PROGRESS');
    expect(first.data).toHaveLength(4);
    expect(await itemsOf(w.programId)).toHaveLength(8);
  });

  it('never pay an entry twice when both are sent together over HTTP', async () => {
    const w = await world(12);
    const answers = await Promise.all([runPayouts(t, w), runPayouts(t, w)]);
    const paid = answers.filter((a) => a.statusCode === 201).flatMap((a) => a.json().data);
    expect(answers.every((a) => a.statusCode === 201 || a.json().error.code === 'PAYOUT_RUN_IN_PROGRESS')).toBe(true);
    expect(paid).toHaveLength(12);
    const items = await itemsOf(w.programId);
    expect(items).toHaveLength(24);
    expect(new Set(items).size).toBe(24);
  });

  // Two instances share nothing but the database: on PostgreSQL the run's advisory lock keeps the
  // second out while the first's transaction is open. (SQLite has one writer: another process
  // waits for the first's transaction and then finds the entries taken.)
  it.runIf(dialect === 'postgres')(
    'answer 409 on another instance while the first instance’s run is open',
    async () => {
      const w = await world(3);
      const instance = () =>
        payoutServices({
          db: t.database.handle.db,
          clock: systemClock,
          secret: t.config.secret,
          dialect: t.database.handle.dialect,
          running: new Set<string>(),
        }).runs;
      const [a, b] = [instance(), instance()];
      let second: unknown;
      const first = await a.run(
        trustedScope(w.brand.workspaceId),
        w.programId,
        {},
        {
          trigger: 'api',
          actor: 'instance a',
          beforeReserve: async () => {
            second = await b
              .run(trustedScope(w.brand.workspaceId), w.programId, {}, { trigger: 'api', actor: 'instance b' })
              .catch((err: unknown) => err);
          },
        },
      );
      expect(second).toMatchObject({ code: 'PAYOUT_RUN_IN_PROGRESS' });
      expect(first.data).toHaveLength(3);
    },
  );
});
