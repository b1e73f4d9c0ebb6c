import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { StartupError } from '../shared/errors.js';

/**
 * How a commit waits for the disk. `normal`: a committed transaction survives a crash of the
 * process (`kill -9`), and the database stays whole through a power cut or a crash of the
 * machine, which may take back the last commits since the log was last synced. `full`: every
 * commit waits until the log is on disk, so none is taken back even then; each commit then
 * costs a sync of the disk (docs/decisions/0001-storage-conventions.md).
 */
export type SqliteSync = 'normal' | 'full';

export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string; url: string; synchronous?: SqliteSync }
  | { dialect: 'postgres'; url: string; poolSize: number };

export interface Config {
  host: string;
  port: number;
  database: DatabaseConfig;
  dataDir: string;
  redisUrl: string | undefined;
  secret: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Fastify's trustProxy: false, true, a hop count, or a list of addresses/CIDRs. */
  trustProxy: boolean | number | string[];
  publicUrl: string;
  bodyLimit: number;
  authRateLimit: { max: number; windowMs: number };
  /** Webhook deliveries a minute from one address to one program's webhook URL; more get 429. */
  webhookRateLimit?: { max: number; windowMs: number };
  /** A request header that a trusted proxy or CDN sets to the visitor's country (e.g. `cf-ipcountry`). */
  countryHeader?: string | undefined;
  /** A MaxMind GeoLite2/GeoIP2 Country or City `.mmdb` file, used when the header gives no country. */
  geoipDb?: string | undefined;
  /**
   * On SQLite, record sales, leads and refunds on a thread of their own: `auto` (the default)
   * when the machine has at least two cores, `on` or `off`.
   */
  conversionsThread?: 'auto' | 'on' | 'off';
  /** Who may sign up as a brand: anyone (`open`, the default) or those an operator invited. */
  brandSignup?: 'open' | 'invite';
  /**
   * Email: with an SMTP URL every email is sent through it; without one, each is kept in the
   * outbox that the operator reads (`GET /api/v1/admin/emails`).
   */
  mail?: { smtpUrl: string | undefined; from: string } | undefined;
  /**
   * Waits this long before writing each batch of clicks: only the durability check sets it
   * (KUMPPANI_CHECK_SLOW_COMMIT_MS), to widen the time a click spends uncommitted. Never set in production.
   */
  checkSlowCommitMs?: number;
}

/** True when a URL names this machine only: `localhost`, 127.0.0.0/8 or ::1. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '::1';
}

/**
 * Whether a brand's links need a domain it has proved control of: on an instance the world can
 * reach (its public URL is not a loopback address) where anyone may sign up as a brand.
 */
export function domainProofRequired(config: Pick<Config, 'publicUrl' | 'brandSignup'>): boolean {
  return (config.brandSignup ?? 'open') === 'open' && !isLoopbackUrl(config.publicUrl);
}

/** Values given on the command line; they win over the environment. */
export interface ConfigFlags {
  host?: string | undefined;
  port?: string | number | undefined;
  database?: string | undefined;
  dataDir?: string | undefined;
  logLevel?: string | undefined;
}

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  KUMPPANI_DATABASE_URL: z.string().min(1).optional(),
  KUMPPANI_DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z.string().url().optional(),
  KUMPPANI_SECRET: z.string().min(32, 'KUMPPANI_SECRET must be at least 32 characters').optional(),
  KUMPPANI_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KUMPPANI_TRUST_PROXY: z.string().default('false'),
  KUMPPANI_PUBLIC_URL: z.string().url().optional(),
  KUMPPANI_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  KUMPPANI_AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  KUMPPANI_WEBHOOK_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  KUMPPANI_PG_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  KUMPPANI_COUNTRY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'KUMPPANI_COUNTRY_HEADER must be a header name')
    .optional(),
  KUMPPANI_GEOIP_DB: z.string().min(1).optional(),
  KUMPPANI_CONVERSIONS_THREAD: z.enum(['auto', 'on', 'off']).default('auto'),
  KUMPPANI_SQLITE_SYNC: z.enum(['normal', 'full']).default('normal'),
  KUMPPANI_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/i, 'KUMPPANI_SMTP_URL must be smtp://user:pass@host:587 or smtps://user:pass@host:465')
    .optional(),
  KUMPPANI_MAIL_FROM: z.string().min(3).max(320).optional(),
  KUMPPANI_BRAND_SIGNUP: z.enum(['open', 'invite']).default('open'),
  KUMPPANI_CHECK_SLOW_COMMIT_MS: z.coerce.number().int().min(0).default(0),
});

function parseTrustProxy(value: string): Config['trustProxy'] {
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Turns a database URL into a dialect and its connection settings; refuses anything else. */
export function parseDatabaseUrl(url: string, dataDir: string, poolSize = 10): DatabaseConfig {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new StartupError(`invalid PostgreSQL URL: ${redactUrl(url)}`);
    }
    return { dialect: 'postgres', url, poolSize };
  }
  let file: string;
  if (/^sqlite:/i.test(url)) file = url.replace(/^sqlite:(\/\/)?/i, '');
  else if (/^file:/i.test(url)) file = url.replace(/^file:(\/\/)?/i, '');
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new StartupError(
      `unsupported database URL ${redactUrl(url)}: use postgres://… or a SQLite file path (sqlite:./data/kumppani.db)`,
    );
  } else file = url;
  if (file === '') file = path.join(dataDir, 'kumppani.db');
  const resolved = file === ':memory:' ? file : path.resolve(file);
  return { dialect: 'sqlite', file: resolved, url: `sqlite:${resolved}` };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}

function ensureWritableDir(dir: string, what: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String((err as NodeJS.ErrnoException).code) : 'not writable';
    throw new StartupError(`${what} ${dir} is not writable (${reason})`);
  }
}

/**
 * With no secret configured, the instance keeps a generated one in its data directory so that a
 * restart keeps API keys, sessions and encrypted secrets working.
 */
function loadOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret');
  if (existsSync(file)) {
    const value = readFileSync(file, 'utf8').trim();
    if (value.length >= 32) return value;
    throw new StartupError(`${file} holds no usable secret; delete it or set KUMPPANI_SECRET`);
  }
  const value = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw new StartupError(`cannot write ${file}: ${(err as Error).message}`);
  }
  return value;
}

/** Parses the whole configuration once. Nothing else in the code reads process.env. */
export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StartupError(`invalid configuration: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(flags.dataDir ?? e.KUMPPANI_DATA_DIR);
  const databaseUrl = flags.database ?? e.KUMPPANI_DATABASE_URL ?? '';
  const parsedDatabase = parseDatabaseUrl(databaseUrl, dataDir, e.KUMPPANI_PG_POOL_SIZE);
  const database: DatabaseConfig =
    parsedDatabase.dialect === 'sqlite' ? { ...parsedDatabase, synchronous: e.KUMPPANI_SQLITE_SYNC } : parsedDatabase;

  ensureWritableDir(dataDir, 'data directory');
  if (database.dialect === 'sqlite' && database.file !== ':memory:') {
    ensureWritableDir(path.dirname(database.file), 'database directory');
  }

  const port = flags.port !== undefined ? Number(flags.port) : e.PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StartupError(`invalid port: ${flags.port}`);
  }
  const host = flags.host ?? e.HOST;
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  const logLevel = (flags.logLevel ?? e.KUMPPANI_LOG_LEVEL) as Config['logLevel'];
  if (!levels.includes(logLevel)) throw new StartupError(`invalid log level: ${logLevel}`);

  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    host,
    port,
    database,
    dataDir,
    redisUrl: e.REDIS_URL,
    secret: e.KUMPPANI_SECRET ?? loadOrCreateSecret(dataDir),
    logLevel,
    trustProxy: parseTrustProxy(e.KUMPPANI_TRUST_PROXY),
    publicUrl: (e.KUMPPANI_PUBLIC_URL ?? `http://${publicHost}:${port}`).replace(/\/$/, ''),
    bodyLimit: e.KUMPPANI_BODY_LIMIT,
    authRateLimit: { max: e.KUMPPANI_AUTH_RATE_LIMIT, windowMs: 60_000 },
    webhookRateLimit: { max: e.KUMPPANI_WEBHOOK_RATE_LIMIT, windowMs: 60_000 },
    countryHeader: e.KUMPPANI_COUNTRY_HEADER?.toLowerCase(),
    geoipDb: e.KUMPPANI_GEOIP_DB ? path.resolve(e.KUMPPANI_GEOIP_DB) : undefined,
    conversionsThread: e.KUMPPANI_CONVERSIONS_THREAD,
    mail: {
      smtpUrl: e.KUMPPANI_SMTP_URL,
      from: e.KUMPPANI_MAIL_FROM ?? `Kumppani <no-reply@${mailDomain(e.KUMPPANI_PUBLIC_URL, publicHost)}>`,
    },
    brandSignup: e.KUMPPANI_BRAND_SIGNUP,
    checkSlowCommitMs: e.KUMPPANI_CHECK_SLOW_COMMIT_MS,
  };
}

/** The host part of the default sender: the public URL's host, or localhost for a bare address. */
function mailDomain(publicUrl: string | undefined, host: string): string {
  const name = publicUrl ? new URL(publicUrl).hostname : host;
  return /^[\d.]+$|:/.test(name) ? 'localhost' : name;
}
