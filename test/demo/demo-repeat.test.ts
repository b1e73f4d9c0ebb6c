import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSummary, loadDemo } from '../../src/demo/demo.js';
import { demoReminder } from '../../src/demo/reminder.js';
import { DEMO_PASSWORD } from '../../src/demo/world.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * The demo is drawn from a fixed seed as of the start of the day: loaded on SQLite or on
 * PostgreSQL, at any time of the day, it is the same world, so the figures the README and the
 * first `npm start` show are the figures every user gets. Both test projects expect the same
 * counts below, on the real clock.
 */
let database: TestDatabase;
let summary: DemoSummary;

beforeAll(async () => {
  database = await createTestDatabase();
  summary = await loadDemo(
    { db: database.handle.db, secret: 'demo-test-secret-0123456789abcdef', clock: systemClock },
    { clicks: 3000, sales: 300 },
  );
}, 300_000);
afterAll(async () => {
  await database?.drop();
});

async function count(table: 'contents' | 'links' | 'clicks' | 'codes' | 'conversions' | 'commissions' | 'refunds') {
  const row = await database.handle.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n);
}

describe('the demo loaded again', () => {
  it('draws the same traffic from the same seed, whatever the database and the time of day', () => {
    expect(summary.traffic).toEqual({ contents: 150, links: 490, clicks: 3000, botClicks: 172 });
  });

  it('records the same sales, refunds and commissions from the same seed', () => {
    expect({ codes: summary.codes, ...summary.sales }).toEqual({
      codes: 42,
      sales: 348,
      attributed: 264,
      refunds: 28,
      renewals: 24,
      held: 12,
      commissions: 526,
    });
  });

  it('stores what it reports', async () => {
    expect({
      contents: await count('contents'),
      links: await count('links'),
      clicks: await count('clicks'),
      codes: await count('codes'),
      conversions: await count('conversions'),
      refunds: await count('refunds'),
      commissions: await count('commissions'),
    }).toEqual({
      contents: 150,
      links: 490,
      clicks: 3000,
      codes: 42,
      conversions: 348,
      refunds: 28,
      commissions: 545,
    });
  });
});

describe('a second start on the demo', () => {
  it('reminds the user of every demo login and the password', async () => {
    const text = (await demoReminder(database.handle.db, 'http://127.0.0.1:8080')) ?? '';
    for (const email of ['aino@revontuli.example', 'eero@revontuli.example', 'sanna@revontuli.example']) {
      expect(text).toContain(email);
    }
    expect(text).toContain(`password: ${DEMO_PASSWORD}`);
    expect(text).toContain('Mesa Glow');
  });

  it('tells how to log in and make a new API key, by the API and from the command line', async () => {
    const text = (await demoReminder(database.handle.db, 'http://127.0.0.1:8080')) ?? '';
    expect(text).toContain('curl -s http://127.0.0.1:8080/api/v1/auth/login');
    expect(text).toContain('curl -s http://127.0.0.1:8080/api/v1/api-keys');
    expect(text).toContain('npx kumppani apikey create --workspace "Revontuli Active Oy"');
  });

  it('says nothing on a database without the demo', async () => {
    const other = await createTestDatabase();
    try {
      expect(await demoReminder(other.handle.db, 'http://127.0.0.1:8080')).toBeUndefined();
    } finally {
      await other.drop();
    }
  });
});
