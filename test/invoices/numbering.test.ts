import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payoutServices } from '../../src/payouts/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { trustedScope } from '../../src/shared/principal.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dialect } from '../helpers/database.js';
import { approveAll, freshIban, payoutWorld, runPayouts, sale, sepaProfile } from '../payouts/world.js';
import { consent, invoicing, requireSelfBilling, secondProgram, setBrandBilling } from './world.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('invoice numbers under concurrent runs', () => {
  it('stay 1, 2, 3 … without gaps or duplicates per creator and brand when two programs pay at once', async () => {
    const first = await payoutWorld(t, { creators: 4 });
    const second = await secondProgram(t, first);
    await setBrandBilling(t, first.brand);
    for (const w of [first, second]) await requireSelfBilling(t, first.brand, w.programId);
    for (const c of first.creators) {
      await sepaProfile(t, c, freshIban(), invoicing('FI', false));
      await consent(t, c);
    }
    const rounds = 3;
    for (let round = 0; round < rounds; round++) {
      for (const w of [first, second]) for (const c of w.creators) await sale(t, w, c, 60_000);
      await approveAll(t);
      const answers = await Promise.all([runPayouts(t, first), runPayouts(t, second)]);
      for (const a of answers) {
        expect(a.statusCode).toBe(201);
        expect(a.json().data).toHaveLength(first.creators.length);
      }
    }
    const rows = await t.database.handle.db
      .selectFrom('invoices')
      .select(['creator_id', 'number', 'payout_id'])
      .where('workspace_id', '=', first.brand.workspaceId)
      .execute();
    expect(rows).toHaveLength(first.creators.length * rounds * 2);
    for (const c of first.creators) {
      const numbers = rows
        .filter((r) => r.creator_id === c.creatorId)
        .map((r) => Number(r.number))
        .sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: rounds * 2 }, (_, i) => i + 1));
    }
    const sequences = await t.database.handle.db
      .selectFrom('invoice_sequences')
      .select(['creator_id', 'last_number'])
      .where('workspace_id', '=', first.brand.workspaceId)
      .execute();
    expect(sequences.map((s) => Number(s.last_number))).toEqual(first.creators.map(() => rounds * 2));
  });

  it('gives back the numbers of a run that rolls back: the next run takes the same number', async () => {
    const w = await payoutWorld(t, { creators: 1 });
    await setBrandBilling(t, w.brand);
    const [c] = w.creators;
    if (!c) throw new Error('no creator');
    await sepaProfile(t, c, freshIban(), invoicing('FI', false));
    await consent(t, c);
    await sale(t, w, c, 60_000);
    await approveAll(t);
    const services = payoutServices({ db: t.database.handle.db, clock: systemClock, secret: 'x', dialect });
    await expect(
      services.runs.run(
        trustedScope(w.brand.workspaceId),
        w.programId,
        {},
        {
          trigger: 'api',
          actor: 'test',
          beforeCommit: async () => {
            throw new Error('crash before commit');
          },
        },
      ),
    ).rejects.toThrow('crash before commit');
    expect(
      await t.database.handle.db.selectFrom('invoices').selectAll().where('creator_id', '=', c.creatorId).execute(),
    ).toEqual([]);
    const res = await runPayouts(t, w, {});
    const numbers = await t.database.handle.db
      .selectFrom('invoices')
      .select('number')
      .where('payout_id', '=', res.json().data[0].id)
      .execute();
    expect(numbers.map((n) => Number(n.number))).toEqual([1]);
  });
});
