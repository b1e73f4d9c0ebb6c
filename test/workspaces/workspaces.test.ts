import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createKey,
  createProgram,
  PASSWORD,
  signupBrand,
  signupCreator,
  startTestApp,
  type TestApp,
} from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const login = async (email: string) =>
  (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } })).json();

describe('workspace members', () => {
  it('lets an owner add a brand account as viewer, who then reads but cannot write', async () => {
    const owner = await signupBrand(t.app, 'Owner');
    const colleague = await signupBrand(t.app, 'Colleague');
    const program = await createProgram(t.app, owner.token);

    const added = await call(t.app, owner.token, {
      method: 'POST',
      url: '/api/v1/workspace/members',
      payload: { email: colleague.email.toUpperCase(), role: 'viewer' },
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ userId: colleague.userId, role: 'viewer' });

    const switched = await call(t.app, colleague.token, {
      method: 'PUT',
      url: '/api/v1/me/workspace',
      payload: { workspaceId: owner.workspaceId },
    });
    expect(switched.json()).toEqual({ workspaceId: owner.workspaceId, role: 'viewer' });
    expect(
      (await call(t.app, colleague.token, { method: 'GET', url: `/api/v1/programs/${program.id}` })).statusCode,
    ).toBe(200);
    const write = await call(t.app, colleague.token, {
      method: 'PATCH',
      url: `/api/v1/programs/${program.id}`,
      payload: { name: 'x' },
    });
    expect(write.statusCode).toBe(403);

    const promoted = await call(t.app, owner.token, {
      method: 'PATCH',
      url: `/api/v1/workspace/members/${colleague.userId}`,
      payload: { role: 'manager' },
    });
    expect(promoted.json().role).toBe('manager');
    const now = await call(t.app, colleague.token, {
      method: 'PATCH',
      url: `/api/v1/programs/${program.id}`,
      payload: { name: 'Renamed' },
    });
    expect(now.statusCode).toBe(200);

    const list = (await call(t.app, owner.token, { method: 'GET', url: '/api/v1/workspace/members' })).json();
    expect(list.data.map((m: { role: string }) => m.role)).toEqual(['owner', 'manager']);

    expect(
      (await call(t.app, owner.token, { method: 'DELETE', url: `/api/v1/workspace/members/${colleague.userId}` }))
        .statusCode,
    ).toBe(204);
    const after = await call(t.app, colleague.token, { method: 'GET', url: `/api/v1/programs/${program.id}` });
    expect(after.statusCode).toBe(401);
  });

  it('keeps at least one owner', async () => {
    const owner = await signupBrand(t.app);
    const demote = await call(t.app, owner.token, {
      method: 'PATCH',
      url: `/api/v1/workspace/members/${owner.userId}`,
      payload: { role: 'viewer' },
    });
    expect(demote.statusCode).toBe(422);
    expect(demote.json().error.code).toBe('LAST_OWNER');
    const leave = await call(t.app, owner.token, {
      method: 'DELETE',
      url: `/api/v1/workspace/members/${owner.userId}`,
    });
    expect(leave.statusCode).toBe(422);
  });

  it('refuses unknown emails, creator accounts and people already in', async () => {
    const owner = await signupBrand(t.app);
    const creator = await signupCreator(t.app);
    for (const email of ['nobody@example.com', creator.email]) {
      const res = await call(t.app, owner.token, {
        method: 'POST',
        url: '/api/v1/workspace/members',
        payload: { email, role: 'viewer' },
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('NO_SUCH_ACCOUNT');
    }
    const self = await call(t.app, owner.token, {
      method: 'POST',
      url: '/api/v1/workspace/members',
      payload: { email: owner.email, role: 'viewer' },
    });
    expect(self.statusCode).toBe(409);
  });

  it('lets only owners change the team', async () => {
    const owner = await signupBrand(t.app);
    const manager = await createKey(t.app, owner.token, 'manager');
    const res = await call(t.app, manager, {
      method: 'POST',
      url: '/api/v1/workspace/members',
      payload: { email: 'x@example.com', role: 'viewer' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('cannot switch a session into a workspace the user is not in', async () => {
    const a = await signupBrand(t.app);
    const b = await signupBrand(t.app);
    const res = await call(t.app, a.token, {
      method: 'PUT',
      url: '/api/v1/me/workspace',
      payload: { workspaceId: b.workspaceId },
    });
    expect(res.statusCode).toBe(404);
    const session = await login(a.email);
    expect(session.workspace.id).toBe(a.workspaceId);
  });
});
