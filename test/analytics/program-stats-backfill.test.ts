import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyClicks, verifySales } from '../../src/analytics/recount.js';
import * as programStats from '../../src/db/migrations/0019-program-stats.js';
import {
  approvedCreator,
  call,
  createKey,
  createLink,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

/**
 * Migration 0019 fills the program-level rollups from the per-link and per-creator rollups that
 * already hold their numbers: undone and done again on a world of clicks and sales, the rollups it
 * writes equal a recount from the raw rows.
 */
let t: TestApp;
let programId: string;

beforeAll(async () => {
  t = await startTestApp();
  const brand = await signupBrand(t.app, 'Backfill Brand');
  const key = await createKey(t.app, brand.token, 'manager');
  programId = (await createProgram(t.app, brand.token, validProgram)).id;
  const clicks: string[] = [];
  for (const name of ['Aada', 'Eino']) {
    const creator = await approvedCreator(t.app, brand.token, programId, name);
    const slug = `backfill-${name.toLowerCase()}`;
    await createLink(t.app, creator.token, { programId, slug, destinationUrl: 'https://shop.example.com/' });
    for (const [i, agent] of [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Mobile/15E148 Safari/604.1',
      'Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0',
      'Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0',
      'Googlebot/2.1 (+http://www.google.com/bot.html)',
    ].entries()) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/${slug}`,
        headers: { 'user-agent': agent, 'accept-language': i === 0 ? 'sv-SE' : 'fi-FI' },
        remoteAddress: `10.2.0.${Math.min(i, 1)}`, // the second Firefox click is the same visitor again
      });
      expect(res.statusCode).toBe(302);
      clicks.push(new URL(res.headers.location as string).searchParams.get('kclid') as string);
    }
  }
  for (const [i, clickId] of [clicks[0], clicks[5]].entries()) {
    const sale = await call(t.app, key, {
      method: 'POST',
      url: '/api/v1/track/sale',
      payload: { programId, orderId: `B${i}`, clickId, currency: 'EUR', lines: [{ amount: 3000 + i, quantity: 1 }] },
    });
    expect(sale.statusCode, sale.body).toBe(201);
  }
});
afterAll(async () => {
  await t?.close();
});

describe('migration 0019', () => {
  it('fills the program rollups from the existing rollups, equal to a recount', async () => {
    const db = t.database.handle.db;
    const count = async (table: 'click_stats_hourly' | 'click_stats_daily') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const programTotals = () =>
      db
        .selectFrom('conversion_stats_hourly')
        .select(['dimension', 'value', 'sales', 'gmv'])
        .where('program_id', '=', programId)
        .where('creator_id', '=', '')
        .orderBy('dimension')
        .orderBy('value')
        .execute();
    const written = { hourly: await count('click_stats_hourly'), daily: await count('click_stats_daily') };
    const totals = await programTotals();
    expect(written.hourly).toBeGreaterThan(0);
    expect(totals.find((r) => r.dimension === 'all')).toMatchObject({ value: '' });
    expect(Number(totals.find((r) => r.dimension === 'all')?.gmv)).toBe(6001);

    await programStats.down(db as never);
    expect(await programTotals()).toEqual([]);
    await programStats.up(db as never);

    expect({ hourly: await count('click_stats_hourly'), daily: await count('click_stats_daily') }).toEqual(written);
    expect(await programTotals()).toEqual(totals);
    expect((await verifyClicks(db, [programId])).differences).toEqual([]);
    expect((await verifySales(db, [programId])).differences).toEqual([]);
  });
});
