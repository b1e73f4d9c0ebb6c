import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createKey,
  PASSWORD,
  signupBrand,
  signupCreator,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('signup', () => {
  it('creates a brand with its workspace and an owner session', async () => {
    const email = uniqueEmail();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: {
        email: `  ${email.toUpperCase()} `,
        password: PASSWORD,
        name: 'Aino',
        kind: 'brand',
        workspaceName: 'Revontuli',
      },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.token).toMatch(/^kps_/);
    expect(body.user).toMatchObject({ email, name: 'Aino', kind: 'brand', isOperator: false });
    expect(body.user.id).toMatch(/^usr_/);
    expect(body.workspace).toMatchObject({ name: 'Revontuli' });
    expect(body.workspace.id).toMatch(/^ws_/);
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(res.body).not.toContain('scrypt');

    const me = await call(t.app, body.token, { method: 'GET', url: '/api/v1/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json().workspace).toMatchObject({ id: body.workspace.id, role: 'owner' });
  });

  it('creates a creator account whose id is the creatorId used everywhere', async () => {
    const email = uniqueEmail('creator');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email, password: PASSWORD, name: 'Krista', kind: 'creator' },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.creator.id).toMatch(/^cr_/);
    expect(body).not.toHaveProperty('workspace');
    const me = await call(t.app, body.token, { method: 'GET', url: '/api/v1/me' });
    expect(me.json()).toMatchObject({ creator: { id: body.creator.id }, workspace: null });
  });

  it('refuses a duplicate email with 409, whatever its case', async () => {
    const email = uniqueEmail();
    const payload = { email, password: PASSWORD, name: 'A', kind: 'brand' };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload })).statusCode).toBe(201);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { ...payload, email: email.toUpperCase(), kind: 'creator' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('EMAIL_TAKEN');
  });

  it.each([
    ['short', 'Passwords need at least 10 characters'],
    ['aaaaaaaaaaaa', 'Passwords need at least 5 different characters'],
    ['Password123', 'This password is among the most common ones'],
  ])('refuses the weak password %j with the rule it breaks', async (password, rule) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: uniqueEmail(), password, name: 'A', kind: 'brand' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'WEAK_PASSWORD', message: rule });
    expect(res.json().error.requestId).toBeTruthy();
  });

  it('refuses a password that contains the email name', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: 'kristaphotos@example.com', password: 'KristaPhotos2026!', name: 'A', kind: 'brand' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('WEAK_PASSWORD');
  });

  it('leaves nothing behind when signup fails', async () => {
    const email = uniqueEmail();
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email, password: 'short', name: 'A', kind: 'brand' },
    });
    const count = await t.database.handle.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('names the failing fields of a bad body and rejects unknown fields', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: 'not-an-email', password: PASSWORD, name: '', kind: 'shop', admin: true },
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    const paths = error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.name', 'body.kind', 'body.admin']));
  });
});

describe('login and sessions', () => {
  it('logs in with the right password and refuses a wrong one or an unknown email alike', async () => {
    const brand = await signupBrand(t.app);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: brand.email, password: PASSWORD },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ user: { id: brand.userId }, workspace: { id: brand.workspaceId } });

    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: brand.email, password: 'wrong-password-1' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: uniqueEmail(), password: 'wrong-password-1' },
    });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
    }
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
  });

  it('ends a session on logout', async () => {
    const brand = await signupBrand(t.app);
    expect((await call(t.app, brand.token, { method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
    const after = await call(t.app, brand.token, { method: 'GET', url: '/api/v1/me' });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a missing, malformed or made-up token with 401', async () => {
    for (const header of [undefined, 'Basic abc', 'Bearer', 'Bearer kps_made_up', 'Bearer kpk_made_up']) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: header ? { authorization: header } : {},
      });
      expect(res.statusCode).toBe(401);
    }
  });
});

describe('API keys', () => {
  it('shows a key once, stores it hashed with a visible prefix, and records its last use', async () => {
    const brand = await signupBrand(t.app);
    const created = await call(t.app, brand.token, {
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'Shopify store', role: 'manager' },
    });
    expect(created.statusCode).toBe(201);
    const { key, id, prefix } = created.json();
    expect(key).toMatch(/^kpk_/);
    expect(key.startsWith(prefix)).toBe(true);

    const row = await t.database.handle.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.key_hash).not.toContain(key);
    expect(JSON.stringify(row)).not.toContain(key);
    expect(row.last_used_at).toBeNull();

    const me = await call(t.app, key, { method: 'GET', url: '/api/v1/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      via: 'apiKey',
      workspace: { id: brand.workspaceId, role: 'manager' },
      user: null,
    });

    const list = await call(t.app, brand.token, { method: 'GET', url: '/api/v1/api-keys' });
    const listed = list.json().data.find((k: { id: string }) => k.id === id);
    expect(listed).toMatchObject({ name: 'Shopify store', prefix, role: 'manager' });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(list.body).not.toContain(key);
  });

  it('gives a key at most the role of its creator', async () => {
    const brand = await signupBrand(t.app);
    const manager = await createKey(t.app, brand.token, 'manager');
    const viewer = await createKey(t.app, brand.token, 'viewer');
    const ownerFromManager = await call(t.app, manager, {
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'x', role: 'owner' },
    });
    expect(ownerFromManager.statusCode).toBe(403);
    const fromViewer = await call(t.app, viewer, {
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'x', role: 'viewer' },
    });
    expect(fromViewer.statusCode).toBe(403);
    expect(fromViewer.json().error.code).toBe('FORBIDDEN');
  });

  it('revokes a key so that it stops working at once', async () => {
    const brand = await signupBrand(t.app);
    const key = await createKey(t.app, brand.token, 'viewer');
    const { data } = (await call(t.app, brand.token, { method: 'GET', url: '/api/v1/api-keys' })).json();
    const res = await call(t.app, brand.token, { method: 'DELETE', url: `/api/v1/api-keys/${data[0].id}` });
    expect(res.statusCode).toBe(204);
    expect((await call(t.app, key, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
  });

  it("cannot revoke another workspace's key", async () => {
    const a = await signupBrand(t.app);
    const b = await signupBrand(t.app);
    const key = await createKey(t.app, a.token, 'viewer');
    const { data } = (await call(t.app, a.token, { method: 'GET', url: '/api/v1/api-keys' })).json();
    const res = await call(t.app, b.token, { method: 'DELETE', url: `/api/v1/api-keys/${data[0].id}` });
    expect(res.statusCode).toBe(404);
    expect((await call(t.app, key, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
  });

  it('gives a creator a key of its own account', async () => {
    const creator = await signupCreator(t.app);
    const res = await call(t.app, creator.token, {
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'my scripts' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().role).toBe('creator');
    const me = await call(t.app, res.json().key, { method: 'GET', url: '/api/v1/me' });
    expect(me.json()).toMatchObject({ creator: { id: creator.creatorId }, workspace: null });
  });
});

describe('rate limits', () => {
  it('answers 429 after too many login attempts from one address', async () => {
    const limited = await startTestApp({ config: { authRateLimit: { max: 3, windowMs: 60_000 } } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await limited.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: 'nobody@example.com', password: 'wrong-password-1' },
        });
        codes.push(res.statusCode);
        if (res.statusCode === 429) {
          expect(res.json().error.code).toBe('RATE_LIMITED');
          expect(res.headers['retry-after']).toBeDefined();
        }
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
