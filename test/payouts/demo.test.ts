import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSummary, loadDemo } from '../../src/demo/demo.js';
import { payoutServices } from '../../src/payouts/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { trustedScope } from '../../src/shared/principal.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { validateSepa } from './world.js';

const secret = 'demo-test-secret-0123456789abcdef';
let database: TestDatabase;
let summary: DemoSummary;

beforeAll(async () => {
  execFileSync('bash', ['scripts/ensure-xmllint.sh'], { stdio: 'inherit' });
  database = await createTestDatabase();
  summary = await loadDemo({ db: database.handle.db, secret, clock: systemClock }, { clicks: 0 });
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

describe('the demo’s payouts', () => {
  it('give every approved creator a payout profile', async () => {
    const approved = await database.handle.db
      .selectFrom('enrollments')
      .select('creator_id')
      .distinct()
      .where('status', '=', 'approved')
      .execute();
    expect(summary.payouts.profiles).toBe(approved.length);
    const methods = await database.handle.db.selectFrom('payout_profiles').select('method').distinct().execute();
    expect(methods.map((m) => m.method).sort()).toEqual(['paypal', 'sepa', 'stripe', 'wise']);
  });

  it('hold a completed payout history: payouts paid with a reference, one returned by the bank', async () => {
    const payouts = await database.handle.db.selectFrom('payouts').selectAll().execute();
    expect(payouts.filter((p) => p.status === 'paid').length).toBeGreaterThanOrEqual(3);
    expect(payouts.filter((p) => p.status === 'paid').every((p) => p.reference?.startsWith('DEMO-'))).toBe(true);
    const failed = payouts.filter((p) => p.status === 'failed');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed[0]?.failure_reason).toBe('the bank returned the transfer: AC04 account closed');
  });

  it('leave the returned payout’s entries in the approved balance for the next run', async () => {
    const failed = await database.handle.db
      .selectFrom('payouts')
      .selectAll()
      .where('status', '=', 'failed')
      .executeTakeFirstOrThrow();
    const services = payoutServices({
      db: database.handle.db,
      clock: systemClock,
      secret,
      dialect: database.handle.dialect,
    });
    const preview = await services.runs.run(
      trustedScope(failed.workspace_id),
      failed.program_id,
      { dryRun: true },
      {
        trigger: 'api',
        actor: 'test',
      },
    );
    const again = preview.data.find((p) => p.creatorId === failed.creator_id);
    expect(again?.amount).toBeGreaterThanOrEqual(failed.amount);
  });

  it('come with a self-billing invoice for every payout, numbered from 1 per creator and brand', async () => {
    const db = database.handle.db;
    const payouts = await db.selectFrom('payouts').select(['id', 'workspace_id', 'creator_id']).execute();
    const invoices = await db
      .selectFrom('invoices')
      .select(['payout_id', 'workspace_id', 'creator_id', 'number'])
      .execute();
    expect(invoices.map((i) => i.payout_id).sort()).toEqual(payouts.map((p) => p.id).sort());
    const series = new Map<string, number[]>();
    for (const i of invoices) {
      const key = `${i.workspace_id}/${i.creator_id}`;
      series.set(key, [...(series.get(key) ?? []), Number(i.number)]);
    }
    for (const numbers of series.values()) {
      expect(numbers.sort((a, b) => a - b)).toEqual(numbers.map((_, i) => i + 1));
    }
  });

  it('make a SEPA file of a new run that the schema accepts', async () => {
    const program = await database.handle.db
      .selectFrom('programs')
      .select(['id', 'workspace_id'])
      .where('currency', '=', 'EUR')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const services = payoutServices({
      db: database.handle.db,
      clock: systemClock,
      secret,
      dialect: database.handle.dialect,
    });
    // The creators of returned payouts stay out of this run: their entries wait for the next one.
    const returned = await database.handle.db
      .selectFrom('payouts')
      .select('creator_id')
      .where('status', '=', 'failed')
      .execute();
    const run = await services.runs.run(
      trustedScope(program.workspace_id),
      program.id,
      { creatorIds: { exclude: returned.map((p) => p.creator_id) } },
      { trigger: 'api', actor: 'test' },
    );
    expect(run.data.length).toBeGreaterThan(0);
    const file = await services.exports.build(
      trustedScope(program.workspace_id),
      { runId: run.run.id ?? '' },
      'sepa-xml',
    );
    let xml = '';
    for await (const chunk of file.body) xml += chunk;
    validateSepa(xml, '09');
    expect(file.count).toBe(run.data.filter((p) => p.method === 'sepa').length);
  });
});
