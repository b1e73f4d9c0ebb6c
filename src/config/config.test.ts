import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StartupError } from '../shared/errors.js';
import { loadConfig, parseDatabaseUrl } from './config.js';

const dir = () => mkdtempSync(path.join(tmpdir(), 'kumppani-config-'));

describe('loadConfig', () => {
  it('has no SMTP server by default and writes from no-reply at the public host', () => {
    const config = loadConfig({}, { KUMPPANI_DATA_DIR: dir(), KUMPPANI_PUBLIC_URL: 'https://kumppani.example.com' });
    expect(config.mail).toEqual({ smtpUrl: undefined, from: 'Kumppani <no-reply@kumppani.example.com>' });
  });

  it('reads the SMTP URL and the sender', () => {
    const config = loadConfig(
      {},
      {
        KUMPPANI_DATA_DIR: dir(),
        KUMPPANI_SMTP_URL: 'smtps://mailer:secret@smtp.example.com:465',
        KUMPPANI_MAIL_FROM: 'Revontuli <hello@revontuli.fi>',
      },
    );
    expect(config.mail).toEqual({
      smtpUrl: 'smtps://mailer:secret@smtp.example.com:465',
      from: 'Revontuli <hello@revontuli.fi>',
    });
  });

  it('refuses an SMTP URL of another scheme without printing its password', () => {
    const load = () =>
      loadConfig({}, { KUMPPANI_DATA_DIR: dir(), KUMPPANI_SMTP_URL: 'http://mailer:hunter2@smtp.example.com' });
    expect(load).toThrow(StartupError);
    expect(load).toThrow(/KUMPPANI_SMTP_URL must be smtp:/);
    expect(load).not.toThrow(/hunter2/);
  });

  it('defaults to an embedded SQLite database in the data directory and keeps a generated secret', () => {
    const dataDir = dir();
    const config = loadConfig({}, { KUMPPANI_DATA_DIR: dataDir });
    expect(config.database).toEqual({
      dialect: 'sqlite',
      file: path.join(dataDir, 'kumppani.db'),
      url: `sqlite:${path.join(dataDir, 'kumppani.db')}`,
      synchronous: 'normal',
    });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      trustProxy: false,
      logLevel: 'info',
      conversionsThread: 'auto',
    });
    expect(config.secret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dataDir, 'secret'), 'utf8').trim()).toBe(config.secret);
    expect(loadConfig({}, { KUMPPANI_DATA_DIR: dataDir }).secret).toBe(config.secret);
  });

  it('reads how SQLite commits wait for the disk, and leaves PostgreSQL alone', () => {
    const full = loadConfig({}, { KUMPPANI_DATA_DIR: dir(), KUMPPANI_SQLITE_SYNC: 'full' });
    expect(full.database).toMatchObject({ dialect: 'sqlite', synchronous: 'full' });
    const pg = loadConfig(
      { database: 'postgres://u:p@db:5432/k' },
      { KUMPPANI_DATA_DIR: dir(), KUMPPANI_SQLITE_SYNC: 'full' },
    );
    expect(pg.database).toEqual({ dialect: 'postgres', url: 'postgres://u:p@db:5432/k', poolSize: 10 });
  });

  it('lets flags win over the environment', () => {
    const config = loadConfig(
      { port: '9000', host: '0.0.0.0', database: 'postgres://u:p@db:5432/k' },
      { KUMPPANI_DATA_DIR: dir(), PORT: '8000', HOST: '127.0.0.1', KUMPPANI_SECRET: 's'.repeat(40) },
    );
    expect(config.port).toBe(9000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.database.dialect).toBe('postgres');
    expect(config.secret).toBe('s'.repeat(40));
  });

  it.each([
    ['false', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
  ])('reads KUMPPANI_TRUST_PROXY=%j', (value, expected) => {
    expect(loadConfig({}, { KUMPPANI_DATA_DIR: dir(), KUMPPANI_TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    [{ PORT: 'x' }, /PORT/],
    [{ KUMPPANI_SECRET: 'short' }, /at least 32/],
    [{ REDIS_URL: 'not a url' }, /REDIS_URL/],
    [{ KUMPPANI_LOG_LEVEL: 'loud' }, /KUMPPANI_LOG_LEVEL/],
    [{ KUMPPANI_CONVERSIONS_THREAD: 'yes' }, /KUMPPANI_CONVERSIONS_THREAD/],
    [{ KUMPPANI_SQLITE_SYNC: 'off' }, /KUMPPANI_SQLITE_SYNC/],
  ])('refuses %j with a StartupError', (env, message) => {
    expect(() => loadConfig({}, { KUMPPANI_DATA_DIR: dir(), ...env })).toThrow(StartupError);
    expect(() => loadConfig({}, { KUMPPANI_DATA_DIR: dir(), ...env })).toThrow(message);
  });
});

describe('parseDatabaseUrl', () => {
  it.each([
    ['sqlite:./x.db', 'sqlite'],
    ['file:/tmp/x.db', 'sqlite'],
    ['/tmp/x.db', 'sqlite'],
    ['postgres://localhost/k', 'postgres'],
    ['postgresql://localhost/k', 'postgres'],
  ])('%s is %s', (url, dialect) => {
    expect(parseDatabaseUrl(url, '/tmp').dialect).toBe(dialect);
  });

  it('refuses other schemes and hides passwords in the message', () => {
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/k', '/tmp')).toThrow(/mysql:\/\/root:\*\*\*@db\/k/);
  });
});
