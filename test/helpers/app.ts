import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../../src/config/config.js';
import type { DomainProbeOptions } from '../../src/domains/proof.js';
import { buildApp } from '../../src/server/app.js';
import type { Clock } from '../../src/shared/clock.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** Cheap password hashing for tests; production uses the OWASP parameters. */
export const testPasswordParams = { N: 2 ** 12, r: 8, p: 1 };

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

export function testConfig(database: TestDatabase, overrides: Partial<Config> = {}): Config {
  return {
    host: '127.0.0.1',
    port: 0,
    database: database.config,
    dataDir: database.dataDir,
    redisUrl: undefined,
    secret: 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    logLevel: 'silent',
    trustProxy: false,
    publicUrl: 'http://127.0.0.1:8080',
    bodyLimit: 64 * 1024,
    authRateLimit: { max: 10_000, windowMs: 60_000 },
    ...overrides,
  };
}

/** Each test app's database, for following the links it emails (see `signUp`). */
const databases = new WeakMap<FastifyInstance, TestDatabase>();

export const compiledConversionsThread = new URL('../../dist/conversions/worker.js', import.meta.url);

export async function startTestApp(
  options: {
    config?: Partial<Config>;
    clock?: Clock;
    redis?: Redis;
    shareDatabaseWith?: TestApp;
    /** On SQLite, record conversions on their own thread, the compiled one in dist/ (built by `pretest`). */
    conversionsThread?: boolean;
    /** Where Stripe Connect transfers go: a local server speaking Stripe's wire format. */
    stripeApi?: { host: string; port: number; protocol: 'http' | 'https' };
    /** Where domain proofs are looked up (local servers in tests). */
    domainProbe?: DomainProbeOptions;
  } = {},
): Promise<TestApp> {
  const shared = options.shareDatabaseWith?.database;
  const database = shared ?? (await createTestDatabase());
  const config = testConfig(database, options.config);
  const app = await buildApp({
    config,
    database: database.handle,
    logger: false,
    passwordParams: testPasswordParams,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.redis ? { redis: options.redis } : {}),
    ...(options.stripeApi ? { stripeApi: options.stripeApi } : {}),
    ...(options.domainProbe ? { domainProbe: options.domainProbe } : {}),
    // Tests run from sources, where there is no compiled thread; only those that ask get one.
    conversionsThread: options.conversionsThread ?? false,
    ...(options.conversionsThread ? { conversionsThreadScript: compiledConversionsThread } : {}),
  });
  await app.ready();
  databases.set(app, database);
  return {
    app,
    database,
    config,
    close: async () => {
      await app.close();
      // A second instance on the same database leaves it to the first to drop.
      if (!shared) await database.drop();
    },
  };
}

let counter = 0;
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${counter}.${Date.now().toString(36)}@example.com`;
}

export const PASSWORD = 'correct-horse-battery';

export interface Brand {
  token: string;
  userId: string;
  workspaceId: string;
  email: string;
}

export interface CreatorAccount {
  token: string;
  userId: string;
  creatorId: string;
  email: string;
}

/** The link of the latest email of a kind sent to an address (from the outbox, as the operator reads it). */
export async function emailedToken(app: FastifyInstance, email: string, kind = 'email_verification') {
  const database = databases.get(app);
  if (!database) throw new Error('not a test app');
  const message = await database.handle.db
    .selectFrom('email_messages')
    .select('text_body')
    .where('to_address', '=', email)
    .where('kind', '=', kind)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const token = /token=(kpt_[\w-]+)/.exec(message?.text_body ?? '')?.[1];
  if (!token) throw new Error(`no ${kind} email to ${email}`);
  return token;
}

/**
 * Signs up and answers the session. Where the instance confirms signups by email (its public URL
 * is not a loopback address: 202), follows the emailed link and logs in, as a person would.
 */
export async function signUp(app: FastifyInstance, payload: Record<string, unknown> & { email: string }) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload });
  if (res.statusCode === 201) return res.json();
  if (res.statusCode !== 202) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  const token = await emailedToken(app, payload.email);
  const verified = await app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });
  if (verified.statusCode !== 200) throw new Error(`verification failed: ${verified.body}`);
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: payload.email, password: payload.password },
  });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
  return login.json();
}

export async function signupBrand(app: FastifyInstance, name = 'Brand Owner'): Promise<Brand> {
  const email = uniqueEmail('brand');
  const body = await signUp(app, { email, password: PASSWORD, name, kind: 'brand', workspaceName: `${name} Oy` });
  return { token: body.token, userId: body.user.id, workspaceId: body.workspace.id, email };
}

export async function signupCreator(app: FastifyInstance, name = 'Krista Creator'): Promise<CreatorAccount> {
  const email = uniqueEmail('creator');
  const body = await signUp(app, { email, password: PASSWORD, name, kind: 'creator' });
  return { token: body.token, userId: body.user.id, creatorId: body.creator.id, email };
}

export async function createKey(
  app: FastifyInstance,
  token: string,
  role: 'owner' | 'manager' | 'viewer',
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/api-keys',
    headers: { authorization: `Bearer ${token}` },
    payload: { name: `${role} key`, role },
  });
  if (res.statusCode !== 201) throw new Error(`key failed: ${res.statusCode} ${res.body}`);
  return res.json().key;
}

export const validProgram = {
  name: 'Revontuli Creators',
  currency: 'EUR',
  allowedDomains: ['shop.example.com'],
  defaultRate: { type: 'percent', bps: 1500 },
};

export async function createProgram(app: FastifyInstance, token: string, body: object = validProgram) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/programs',
    headers: { authorization: `Bearer ${token}` },
    payload: body,
  });
  if (res.statusCode !== 201) throw new Error(`program failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; currency: string };
}

/** Sets a program's allowed domains through the API; throws unless it is saved. */
export async function setAllowedDomains(app: FastifyInstance, token: string, programId: string, domains: string[]) {
  const res = await call(app, token, {
    method: 'PATCH',
    url: `/api/v1/programs/${programId}`,
    payload: { allowedDomains: domains },
  });
  if (res.statusCode !== 200) throw new Error(`allowed domains failed: ${res.statusCode} ${res.body}`);
}

/** app.inject with a bearer token. */
export function call(app: FastifyInstance, token: string | undefined, options: InjectOptions) {
  return app.inject({
    ...options,
    headers: { ...(options.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
}

/** A creator invited by the brand into a program, who has accepted: able to have links. */
export async function approvedCreator(
  app: FastifyInstance,
  brandToken: string,
  programId: string,
  name = 'Krista Creator',
): Promise<CreatorAccount & { enrollmentId: string }> {
  const creator = await signupCreator(app, name);
  const invite = await call(app, brandToken, {
    method: 'POST',
    url: `/api/v1/programs/${programId}/enrollments`,
    payload: { creatorEmail: creator.email },
  });
  if (invite.statusCode !== 201) throw new Error(`invite failed: ${invite.statusCode} ${invite.body}`);
  const accept = await call(app, creator.token, {
    method: 'PATCH',
    url: `/api/v1/enrollments/${invite.json().id}`,
    payload: { status: 'approved' },
  });
  if (accept.statusCode !== 200) throw new Error(`accept failed: ${accept.statusCode} ${accept.body}`);
  return { ...creator, enrollmentId: invite.json().id };
}

/** Creates a link and returns its body; fails the test on any other answer. */
export async function createLink(app: FastifyInstance, token: string, body: object) {
  const res = await call(app, token, { method: 'POST', url: '/api/v1/links', payload: body });
  if (res.statusCode !== 201) throw new Error(`link failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; slug: string; shortUrl: string; destinationUrl: string; creatorId: string };
}

/** A product of a program, made through the API; throws unless it is created. */
export async function createProduct(app: FastifyInstance, token: string, programId: string, body: object) {
  const res = await call(app, token, { method: 'POST', url: `/api/v1/programs/${programId}/products`, payload: body });
  if (res.statusCode !== 201) throw new Error(`product failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; externalId: string };
}

/** A creator's coupon code in a program, made through the API; throws unless it is created. */
export async function createCode(app: FastifyInstance, token: string, programId: string, body: object) {
  const res = await call(app, token, { method: 'POST', url: `/api/v1/programs/${programId}/codes`, payload: body });
  if (res.statusCode !== 201) throw new Error(`code failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; code: string };
}
