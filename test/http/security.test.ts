import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Brand,
  type CreatorAccount,
  call,
  createKey,
  createLink,
  createProgram,
  signupBrand,
  signupCreator,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

/**
 * Walks every operation of the OpenAPI document: without a token it must answer 401, with a
 * token of the wrong kind or role 403, and with an id of an object the caller cannot see 404,
 * exactly as for a missing id. Every non-public route with a path id declares the kind of object
 * it names (`x-kumppani-resource`), so a new route is covered the moment it is registered, and
 * one that declares nothing fails the walk by its name.
 */
interface Operation {
  'x-kumppani-access'?: string;
  'x-kumppani-resource'?: string;
}

let t: TestApp;
let owner: Brand;
let stranger: Brand;
let creator: CreatorAccount;
let strangerCreator: CreatorAccount;
let keys: { manager: string; viewer: string };
const fixtures: Record<string, string> = {};
let operations: { method: string; path: string; op: Operation }[] = [];

beforeAll(async () => {
  t = await startTestApp();
  owner = await signupBrand(t.app, 'Owner');
  stranger = await signupBrand(t.app, 'Stranger');
  creator = await signupCreator(t.app);
  strangerCreator = await signupCreator(t.app, 'Stranger Creator');
  keys = {
    manager: await createKey(t.app, owner.token, 'manager'),
    viewer: await createKey(t.app, owner.token, 'viewer'),
  };
  const program = await createProgram(t.app, owner.token);
  fixtures.program = program.id;
  const product = await call(t.app, owner.token, {
    method: 'POST',
    url: `/api/v1/programs/${program.id}/products`,
    payload: { externalId: 'sec-1', name: 'Secret product' },
  });
  fixtures.product = product.json().id;
  fixtures.member = owner.userId;
  fixtures.applicableProgram = program.id;
  fixtures.creator = creator.creatorId;
  fixtures.workspace = owner.workspaceId;
  // Outbox emails are the operator's: any id stands for one here, since no one else may name it.
  fixtures.email = 'eml_security_fixture';
  // A program's terms are open to every creator when it takes applications: this one is invite-only.
  fixtures.readableProgram = (
    await createProgram(t.app, owner.token, { ...validProgram, name: 'Invite only', visibility: 'invite' })
  ).id;
  await createKey(t.app, owner.token, 'viewer');
  const ownerKeys = (await call(t.app, owner.token, { method: 'GET', url: '/api/v1/api-keys' })).json();
  fixtures.apiKey = ownerKeys.data[0].id;
  const enrollment = await call(t.app, owner.token, {
    method: 'POST',
    url: `/api/v1/programs/${program.id}/enrollments`,
    payload: { creatorEmail: creator.email },
  });
  fixtures.enrollment = enrollment.json().id;
  await call(t.app, creator.token, {
    method: 'PATCH',
    url: `/api/v1/enrollments/${fixtures.enrollment}`,
    payload: { status: 'approved' },
  });
  fixtures.content = (
    await call(t.app, creator.token, {
      method: 'POST',
      url: '/api/v1/contents',
      payload: { platform: 'tiktok', url: 'https://www.tiktok.com/@sec/video/1' },
    })
  ).json().id;
  fixtures.code = (
    await call(t.app, owner.token, {
      method: 'POST',
      url: `/api/v1/programs/${program.id}/codes`,
      payload: { creatorId: creator.creatorId, code: 'SECRET20', discount: { type: 'percent', bps: 2000 } },
    })
  ).json().id;
  fixtures.link = (
    await createLink(t.app, creator.token, { programId: program.id, destinationUrl: 'https://shop.example.com/' })
  ).id;
  const sold = await call(t.app, owner.token, {
    method: 'POST',
    url: '/api/v1/track/sale',
    payload: {
      programId: program.id,
      orderId: 'sec-1',
      currency: 'EUR',
      couponCode: 'SECRET20',
      lines: [{ amount: 5000, quantity: 1 }],
    },
  });
  fixtures.conversion = sold.json().conversion.id;
  fixtures.commission = sold.json().conversion.commissions[0].id;
  fixtures.codeAlert = 'cal_security_fixture';
  await t.database.handle.db
    .insertInto('code_alerts')
    .values({
      id: fixtures.codeAlert,
      workspace_id: owner.workspaceId,
      program_id: program.id,
      code_id: fixtures.code as string,
      reason: 'coupon_site',
      detail: 'A fixture alert.',
      status: 'open',
      resolution: null,
      note: null,
      opened_at: new Date().toISOString(),
      resolved_at: null,
      resolved_by: null,
    })
    .execute();

  const at = new Date().toISOString();
  fixtures.payoutRun = 'prun_security_fixture';
  fixtures.payout = 'po_security_fixture';
  fixtures.payoutOrRun = fixtures.payout;
  fixtures.payoutFlag = 'pof_security_fixture';
  await t.database.handle.db
    .insertInto('payout_runs')
    .values({
      id: fixtures.payoutRun,
      workspace_id: owner.workspaceId,
      program_id: program.id,
      currency: 'EUR',
      cutoff: at,
      trigger: 'api',
      actor: owner.userId,
      payout_count: 1,
      total_amount: 500,
      summary: JSON.stringify({ carriedForward: [], blocked: [] }),
      created_at: at,
    })
    .execute();
  await t.database.handle.db
    .insertInto('payouts')
    .values({
      id: fixtures.payout,
      run_id: fixtures.payoutRun,
      workspace_id: owner.workspaceId,
      program_id: program.id,
      creator_id: creator.creatorId,
      amount: 500,
      currency: 'EUR',
      method: 'manual',
      status: 'pending',
      entry_count: 0,
      destination: null,
      details_sealed: null,
      failure_code: null,
      failure_reason: null,
      reference: null,
      transfer_id: null,
      created_at: at,
      updated_at: at,
      paid_at: null,
      failed_at: null,
    })
    .execute();
  await t.database.handle.db
    .insertInto('payout_flags')
    .values({
      id: fixtures.payoutFlag,
      creator_id: creator.creatorId,
      other_creator_id: strangerCreator.creatorId,
      destination_kind: 'email',
      status: 'open',
      resolution_note: null,
      resolved_by: null,
      created_at: at,
      resolved_at: null,
    })
    .execute();

  const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  operations = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
});
afterAll(async () => {
  await t?.close();
});

/** A path parameter that names an object: `{id}`, or one ending in `Id` (`{programId}`). */
const ID_PARAMETER = /\{(id|[A-Za-z]+Id)\}/;

/** Whether a signed-in brand (as owner) or creator passes a route's access level. */
function mayCall(access: string, who: 'brand' | 'creator'): boolean {
  if (access === 'any' || access === 'brandOrCreator') return true;
  if (access === 'creator') return who === 'creator';
  if (access === 'viewer' || access === 'manager' || access === 'owner') return who === 'brand';
  return false; // operator
}

function urlFor(path: string, id: string): string {
  return path.replace(/\{[^}]+\}/g, id);
}

function hasBody(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH';
}

function request(method: string, url: string, token: string | undefined) {
  return call(t.app, token, {
    method: method as 'GET',
    url,
    ...(hasBody(method) ? { payload: {} } : {}),
  });
}

/** A token that is valid but lacks what the access level needs, or undefined if every token has it. */
function wrongToken(access: string): string | undefined {
  switch (access) {
    case 'viewer':
      return creator.token;
    case 'manager':
      return keys.viewer;
    case 'owner':
      return keys.manager;
    case 'creator':
    case 'operator':
      return owner.token;
    default:
      return undefined;
  }
}

describe('every route of the OpenAPI document', () => {
  it('declares who may call it', () => {
    expect(operations.length).toBeGreaterThan(15);
    for (const { method, path, op } of operations) {
      expect(op['x-kumppani-access'], `${method} ${path}`).toBeDefined();
    }
  });

  it('names the kind of object its path id refers to, for every non-public route with an id', () => {
    const withId = operations.filter((o) => ID_PARAMETER.test(o.path) && o.op['x-kumppani-access'] !== 'public');
    expect(withId.length).toBeGreaterThan(40);
    const undeclared = withId.filter((o) => !o.op['x-kumppani-resource']).map((o) => `${o.method} ${o.path}`);
    expect(undeclared, 'routes with a path id that declare no x-kumppani-resource').toEqual([]);
    const noFixture = withId
      .filter((o) => fixtures[o.op['x-kumppani-resource'] ?? ''] === undefined)
      .map((o) => `${o.method} ${o.path} (${o.op['x-kumppani-resource']})`);
    expect(noFixture, 'kinds of object this walk has no fixture for').toEqual([]);
  });

  it('answers 401 without a token', async () => {
    for (const { method, path, op } of operations) {
      if (op['x-kumppani-access'] === 'public') continue;
      const res = await request(method, urlFor(path, fixtures.program ?? 'x'), undefined);
      expect(res.statusCode, `${method} ${path}`).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers 401 with a revoked key, which worked before it was revoked', async () => {
    const key = await createKey(t.app, owner.token, 'owner');
    const me = await call(t.app, key, { method: 'GET', url: '/api/v1/me' });
    expect(me.statusCode, me.body).toBe(200);
    const { data } = (await call(t.app, owner.token, { method: 'GET', url: '/api/v1/api-keys' })).json();
    const owners = data.filter((k: { role: string }) => k.role === 'owner');
    expect(owners).toHaveLength(1);
    const revoked = await call(t.app, owner.token, { method: 'DELETE', url: `/api/v1/api-keys/${owners[0].id}` });
    expect(revoked.statusCode, revoked.body).toBe(204);
    let asked = 0;
    for (const { method, path, op } of operations) {
      if (op['x-kumppani-access'] === 'public') continue;
      const res = await request(method, urlFor(path, fixtures.program ?? 'x'), key);
      expect(res.statusCode, `${method} ${path}`).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
      asked++;
    }
    expect(asked).toBe(operations.filter((o) => o.op['x-kumppani-access'] !== 'public').length);
  });

  it('answers 403 to a token of the wrong kind or role', async () => {
    let checked = 0;
    for (const { method, path, op } of operations) {
      const token = wrongToken(op['x-kumppani-access'] ?? 'any');
      if (!token) continue;
      const id = fixtures[op['x-kumppani-resource'] ?? 'program'] ?? 'x';
      const res = await request(method, urlFor(path, id), token);
      expect(res.statusCode, `${method} ${path}`).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it.each([
    ['another brand', 'brand'],
    ['another creator', 'creator'],
  ] as const)('answers %s about an object it cannot see exactly as about a missing one', async (_who, kind) => {
    const outsider = kind === 'brand' ? stranger.token : strangerCreator.token;
    const routes = operations.filter((o) => o.op['x-kumppani-resource']);
    expect(routes.length).toBe(
      operations.filter((o) => ID_PARAMETER.test(o.path) && o.op['x-kumppani-access'] !== 'public').length,
    );
    let notFound = 0;
    for (const { method, path, op } of routes) {
      const resource = op['x-kumppani-resource'] as string;
      const label = `${method} ${path} (${resource})`;
      const missing = await request(method, urlFor(path, `${resource}_does_not_exist`), outsider);
      const allowed = mayCall(op['x-kumppani-access'] ?? 'any', kind);
      expect(missing.statusCode, label).toBe(allowed ? 404 : 403);
      // A creator applies to programs of every brand: any program is one it may name here.
      if (resource === 'applicableProgram' && kind === 'creator') continue;
      const theirs = await request(method, urlFor(path, fixtures[resource] ?? 'x'), outsider);
      expect(theirs.statusCode, label).toBe(missing.statusCode);
      expect(theirs.json().error.code, label).toBe(missing.json().error.code);
      expect(theirs.json().error.message, label).toBe(missing.json().error.message);
      if (allowed) notFound++;
    }
    expect(notFound).toBeGreaterThanOrEqual(kind === 'brand' ? 40 : 14);
  });

  it('answers 401 to every shop webhook without a valid signature: they are authenticated by signature, not token', async () => {
    const secrets = {
      shopify: 'shpss_security_secret',
      stripe: 'whsec_security_secret',
      woocommerce: 'woo_security_secret',
    };
    for (const [platform, webhookSecret] of Object.entries(secrets)) {
      const put = await call(t.app, owner.token, {
        method: 'PUT',
        url: `/api/v1/programs/${fixtures.program}/integrations/${platform}`,
        payload: { webhookSecret },
      });
      expect(put.statusCode).toBe(200);
    }
    const hooks = operations.filter((o) => o.path.endsWith('/webhook'));
    expect(hooks.map((h) => h.path).sort()).toEqual([
      '/api/v1/integrations/shopify/{programId}/webhook',
      '/api/v1/integrations/stripe/{programId}/webhook',
      '/api/v1/integrations/woocommerce/{programId}/webhook',
    ]);
    for (const { method, path } of hooks) {
      const res = await t.app.inject({
        method: method as 'POST',
        url: urlFor(path, fixtures.program ?? 'x'),
        headers: {
          'content-type': 'application/json',
          'x-shopify-hmac-sha256': 'AAAA',
          'x-wc-webhook-signature': 'AAAA',
          'stripe-signature': 't=1,v1=00',
          authorization: `Bearer ${owner.token}`,
        },
        payload: '{"id":1}',
      });
      expect(res.statusCode, `${method} ${path}`).toBe(401);
      expect(res.json().error.code).toBe('INVALID_SIGNATURE');
    }
  });

  it("answers 404 to a creator asking for another creator's link", async () => {
    const other = await signupCreator(t.app, 'Other Creator');
    for (const { method, path, op } of operations) {
      if (op['x-kumppani-resource'] !== 'link') continue;
      const res = await request(method, urlFor(path, fixtures.link ?? 'x'), other.token);
      expect(res.statusCode, `${method} ${path}`).toBe(404);
    }
  });

  it('left the owner’s objects untouched after all of that', async () => {
    const program = await call(t.app, owner.token, { method: 'GET', url: `/api/v1/programs/${fixtures.program}` });
    expect(program.json()).toMatchObject({ status: 'active', name: 'Revontuli Creators' });
    const product = await call(t.app, owner.token, { method: 'GET', url: `/api/v1/products/${fixtures.product}` });
    expect(product.json()).toMatchObject({ status: 'active', name: 'Secret product' });
    const link = await call(t.app, creator.token, { method: 'GET', url: `/api/v1/links/${fixtures.link}` });
    expect(link.json()).toMatchObject({ status: 'enabled', destinationUrl: 'https://shop.example.com/' });
  });
});
