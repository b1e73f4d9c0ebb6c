import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Reader } from 'maxmind';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { StartupError } from '../../src/shared/errors.js';
import {
  approvedCreator,
  createLink,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  testConfig,
  validProgram,
} from '../helpers/app.js';
import { buildMmdb } from '../helpers/mmdb.js';

/**
 * The visitor's country from the operator's MaxMind database, looked up by the address the
 * trusted proxy reports; a configured country header wins over the database when present.
 */
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

const networks = {
  '192.0.2.0/24': { country: { iso_code: 'FI', names: { en: 'Finland' } } },
  '198.51.100.0/24': { country: { iso_code: 'US', names: { en: 'United States' } } },
  // A network with only the registered country, as the database gives for some ranges.
  '203.0.113.128/25': { registered_country: { iso_code: 'SE' } },
  '2001:db8::/32': { country: { iso_code: 'DE' } },
};

let dir: string;
let geoipDb: string;
/** Behind a trusted proxy, with the database. */
let geo: TestApp;
/** The same, with a country header configured too. */
let withHeader: TestApp;
/** With the database but no trusted proxy: X-Forwarded-For is the visitor's own claim. */
let direct: TestApp;
const bases: Record<string, string> = {};
let slug: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kumppani-geoip-'));
  geoipDb = path.join(dir, 'GeoLite2-Country.mmdb');
  writeFileSync(geoipDb, buildMmdb(networks));
  geo = await startTestApp({ config: { geoipDb, trustProxy: true } });
  withHeader = await startTestApp({
    config: { geoipDb, trustProxy: true, countryHeader: 'cf-ipcountry' },
    shareDatabaseWith: geo,
  });
  direct = await startTestApp({ config: { geoipDb, trustProxy: false }, shareDatabaseWith: geo });
  for (const [name, t] of Object.entries({ geo, withHeader, direct })) {
    bases[name] = await t.app.listen({ host: '127.0.0.1', port: 0 });
  }
  const brand = await signupBrand(geo.app, 'Aino');
  const programId = (await createProgram(geo.app, brand.token, validProgram)).id;
  const creator = await approvedCreator(geo.app, brand.token, programId, 'Krista');
  slug = (await createLink(geo.app, creator.token, { programId, destinationUrl: 'https://shop.example.com/leggings' }))
    .slug;
});
afterAll(async () => {
  await direct?.close();
  await withHeader?.close();
  await geo?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Follows the link on one instance and returns the country stored with the click. */
async function countryOfVisit(instance: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(`${bases[instance]}/${slug}`, {
    redirect: 'manual',
    headers: { 'user-agent': IPHONE, ...headers },
  });
  expect(res.status).toBe(302);
  const kclid = new URL(res.headers.get('location') as string).searchParams.get('kclid') as string;
  const click = await geo.database.handle.db
    .selectFrom('clicks')
    .select('country')
    .where('id', '=', kclid)
    .executeTakeFirstOrThrow();
  return click.country;
}

describe('the test MaxMind database', () => {
  it.each([4, 6] as const)('opens with the maxmind reader as an IPv%i tree', (ipVersion) => {
    const reader = new Reader(buildMmdb({ '192.0.2.0/24': networks['192.0.2.0/24'] }, { ipVersion }));
    expect(reader.metadata).toMatchObject({
      ipVersion,
      recordSize: 24,
      databaseType: 'GeoLite2-Country',
      binaryFormatMajorVersion: 2,
      binaryFormatMinorVersion: 0,
      languages: ['en'],
    });
    expect(reader.get('192.0.2.10')).toEqual({ country: { iso_code: 'FI', names: { en: 'Finland' } } });
    expect(reader.getWithPrefixLength('192.0.2.255')[1]).toBe(24);
    expect(reader.get('192.0.3.1')).toBeNull();
  });
});

describe('country from the GeoIP database', () => {
  it('looks up the address the trusted proxy reports', async () => {
    expect(await countryOfVisit('geo', { 'x-forwarded-for': '192.0.2.10' })).toBe('FI');
    expect(await countryOfVisit('geo', { 'x-forwarded-for': '198.51.100.7' })).toBe('US');
    expect(await countryOfVisit('geo', { 'x-forwarded-for': '203.0.113.200' })).toBe('SE');
    expect(await countryOfVisit('geo', { 'x-forwarded-for': '2001:db8::1' })).toBe('DE');
    expect(await countryOfVisit('geo', { 'x-forwarded-for': '::ffff:198.51.100.7' })).toBe('US');
  });

  it('stores unknown for an address the database does not hold', async () => {
    expect(await countryOfVisit('geo', { 'x-forwarded-for': '203.0.113.1' })).toBe('unknown');
    expect(await countryOfVisit('geo', { 'x-forwarded-for': '2001:db9::1' })).toBe('unknown');
    expect(await countryOfVisit('geo', {})).toBe('unknown'); // 127.0.0.1
  });

  it('does not believe X-Forwarded-For without a trusted proxy', async () => {
    expect(await countryOfVisit('direct', { 'x-forwarded-for': '192.0.2.10' })).toBe('unknown');
  });

  it('prefers the country header when present, and falls back to the database without a usable one', async () => {
    expect(await countryOfVisit('withHeader', { 'x-forwarded-for': '192.0.2.10', 'cf-ipcountry': 'se' })).toBe('SE');
    expect(await countryOfVisit('withHeader', { 'x-forwarded-for': '192.0.2.10' })).toBe('FI');
    // Cloudflare's "unknown" and "Tor" codes are no country: the database answers.
    expect(await countryOfVisit('withHeader', { 'x-forwarded-for': '198.51.100.7', 'cf-ipcountry': 'XX' })).toBe('US');
    expect(await countryOfVisit('withHeader', { 'x-forwarded-for': '198.51.100.7', 'cf-ipcountry': 'T1' })).toBe('US');
  });
});

describe('a GeoIP database that cannot be used', () => {
  const build = (file: string) =>
    buildApp({ config: testConfig(geo.database, { geoipDb: file }), database: geo.database.handle, logger: false });

  it('stops the start-up with one line naming the missing file', async () => {
    const missing = path.join(dir, 'nowhere', 'GeoLite2-Country.mmdb');
    const err = await build(missing).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toBe(`cannot read the GeoIP database ${missing} (KUMPPANI_GEOIP_DB): no such file`);
  });

  it('stops the start-up with one line when the file is not a MaxMind database', async () => {
    const notMmdb = path.join(dir, 'countries.csv');
    writeFileSync(notMmdb, 'network,country\n192.0.2.0/24,FI\n');
    const err = await build(notMmdb).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StartupError);
    const message = (err as Error).message;
    expect(message.startsWith(`${notMmdb} is not a MaxMind database (KUMPPANI_GEOIP_DB): `), message).toBe(true);
    expect(message).not.toContain('\n');
  });
});
