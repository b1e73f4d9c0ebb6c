import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findApprovedEnrollment } from '../../src/enrollments/repository.js';
import {
  type Brand,
  type CreatorAccount,
  call,
  createKey,
  createProgram,
  PASSWORD,
  signupBrand,
  signupCreator,
  startTestApp,
  type TestApp,
  uniqueEmail,
  validProgram,
} from '../helpers/app.js';

let t: TestApp;
let brand: Brand;
beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app, 'Aino');
});
afterAll(async () => {
  await t?.close();
});

const enroll = (token: string, programId: string, payload: object = {}) =>
  call(t.app, token, { method: 'POST', url: `/api/v1/programs/${programId}/enrollments`, payload });
const change = (token: string, id: string, payload: object) =>
  call(t.app, token, { method: 'PATCH', url: `/api/v1/enrollments/${id}`, payload });
const read = (token: string, id: string) => call(t.app, token, { method: 'GET', url: `/api/v1/enrollments/${id}` });
const list = async (token: string, query = '') => {
  const res = await call(t.app, token, { method: 'GET', url: `/api/v1/enrollments${query}` });
  expect(res.statusCode).toBe(200);
  return res.json() as { data: { id: string; status: string; programId: string }[]; nextCursor: string | null };
};

/** A creator's application, created and checked. */
async function applied(creator: CreatorAccount, programId: string): Promise<string> {
  const res = await enroll(creator.token, programId, { message: 'Hi!' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** A brand's invitation, created and checked. */
async function invited(by: Brand, programId: string, creatorEmail: string, extra: object = {}): Promise<string> {
  const res = await enroll(by.token, programId, { creatorEmail, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const expectError = (
  res: { statusCode: number; json(): { error: { code: string } } },
  status: number,
  code: string,
) => {
  expect(res.statusCode).toBe(status);
  expect(res.json().error.code).toBe(code);
};

describe('applying and approving', () => {
  it('lets a creator apply to an open program and the brand approve, with a history of both', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app, 'Krista Lehtonen');

    const res = await enroll(creator.token, program.id, { message: 'I run 40 km a week and post daily' });
    expect(res.statusCode).toBe(201);
    const enrollment = res.json();
    expect(enrollment.id).toMatch(/^enr_/);
    expect(enrollment).toMatchObject({
      programId: program.id,
      programName: validProgram.name,
      creatorId: creator.creatorId,
      creatorName: 'Krista Lehtonen',
      status: 'applied',
      rate: null,
      reason: 'I run 40 km a week and post daily',
    });
    expect(enrollment.history).toEqual([
      expect.objectContaining({ fromStatus: null, toStatus: 'applied', actor: creator.userId }),
    ]);
    expect(enrollment.history[0].id).toMatch(/^ene_/);
    expect(await findApprovedEnrollment(t.database.handle.db, program.id, creator.creatorId)).toBeUndefined();

    const pending = await list(brand.token, `?programId=${program.id}&status=applied`);
    expect(pending.data.map((e) => e.id)).toEqual([enrollment.id]);

    const approved = await change(brand.token, enrollment.id, { status: 'approved', reason: 'Great fit' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', reason: 'Great fit' });
    expect(approved.json().history).toEqual([
      expect.objectContaining({ fromStatus: null, toStatus: 'applied' }),
      expect.objectContaining({
        fromStatus: 'applied',
        toStatus: 'approved',
        reason: 'Great fit',
        actor: brand.userId,
      }),
    ]);

    const row = await findApprovedEnrollment(t.database.handle.db, program.id, creator.creatorId);
    expect(row).toMatchObject({ id: enrollment.id, status: 'approved', workspaceId: brand.workspaceId });

    const mine = await read(creator.token, enrollment.id);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().history).toHaveLength(2);
  });

  it('records an API key as the actor when a key makes the change', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    const created = await call(t.app, creator.token, {
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'my script' },
    });
    expect(created.statusCode).toBe(201);
    const creatorKey = created.json();
    const res = await enroll(creatorKey.key, program.id);
    expect(res.statusCode).toBe(201);
    expect(res.json().history[0].actor).toBe(creatorKey.id);

    const manager = await createKey(t.app, brand.token, 'manager');
    const approved = await change(manager, res.json().id, { status: 'approved' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().history[1].actor).toMatch(/^key_/);
  });

  it('refuses an application to an invite-only program with 422 PROGRAM_INVITE_ONLY', async () => {
    const program = await createProgram(t.app, brand.token, { ...validProgram, visibility: 'invite' });
    const creator = await signupCreator(t.app);
    expectError(await enroll(creator.token, program.id), 422, 'PROGRAM_INVITE_ONLY');
    expect((await list(creator.token)).data).toEqual([]);
  });

  it('refuses applications and invitations to an archived program with 422 PROGRAM_ARCHIVED', async () => {
    const program = await createProgram(t.app, brand.token);
    await call(t.app, brand.token, { method: 'POST', url: `/api/v1/programs/${program.id}/archive` });
    const creator = await signupCreator(t.app);
    expectError(await enroll(creator.token, program.id), 422, 'PROGRAM_ARCHIVED');
    expectError(await enroll(brand.token, program.id, { creatorEmail: creator.email }), 422, 'PROGRAM_ARCHIVED');
  });

  it('answers 404 for a program that does not exist', async () => {
    const creator = await signupCreator(t.app);
    expectError(await enroll(creator.token, 'prg_00000000000000000000000000'), 404, 'NOT_FOUND');
    expectError(
      await enroll(brand.token, 'prg_00000000000000000000000000', { creatorEmail: creator.email }),
      404,
      'NOT_FOUND',
    );
  });

  it('refuses a second application with 409 ALREADY_ENROLLED', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    await applied(creator, program.id);
    expectError(await enroll(creator.token, program.id), 409, 'ALREADY_ENROLLED');
    expectError(await enroll(brand.token, program.id, { creatorEmail: creator.email }), 409, 'ALREADY_ENROLLED');
  });

  it('answers 409 ALREADY_ENROLLED to the loser of two simultaneous applications', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    const results = await Promise.all([enroll(creator.token, program.id), enroll(creator.token, program.id)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.statusCode === 409)?.json().error.code).toBe('ALREADY_ENROLLED');
    const rows = await t.database.handle.db
      .selectFrom('enrollment_events')
      .innerJoin('enrollments', 'enrollments.id', 'enrollment_events.enrollment_id')
      .select('enrollment_events.id')
      .where('enrollments.program_id', '=', program.id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('reopens a rejected application when the creator applies again, keeping the history', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    const id = await applied(creator, program.id);
    const rejected = await change(brand.token, id, { status: 'rejected', reason: 'Audience too small for now' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', reason: 'Audience too small for now' });

    const again = await enroll(creator.token, program.id, { message: 'I have grown to 50k followers' });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ id, status: 'applied', reason: 'I have grown to 50k followers' });
    expect(again.json().history.map((e: { toStatus: string }) => e.toStatus)).toEqual([
      'applied',
      'rejected',
      'applied',
    ]);
    expect(again.json().history[2].fromStatus).toBe('rejected');
  });

  it('lets a creator apply to an open program of any workspace', async () => {
    const otherBrand = await signupBrand(t.app, 'Mesa');
    const program = await createProgram(t.app, otherBrand.token, { ...validProgram, name: 'Mesa Glow' });
    const creator = await signupCreator(t.app);
    const id = await applied(creator, program.id);
    expect((await list(otherBrand.token)).data.map((e) => e.id)).toContain(id);
    expect((await list(brand.token)).data.map((e) => e.id)).not.toContain(id);
  });

  it('refuses a creator that sends brand-only fields with 403', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    expectError(await enroll(creator.token, program.id, { creatorEmail: 'someone@example.com' }), 403, 'FORBIDDEN');
    expectError(await enroll(creator.token, program.id, { rate: { type: 'percent', bps: 5000 } }), 403, 'FORBIDDEN');
  });
});

describe('inviting and accepting', () => {
  it('lets a brand invite a creator by email and the creator accept', async () => {
    const program = await createProgram(t.app, brand.token, { ...validProgram, visibility: 'invite' });
    const creator = await signupCreator(t.app, 'Dana Vaughan');
    const res = await enroll(brand.token, program.id, {
      creatorEmail: creator.email.toUpperCase(),
      rate: { type: 'percent', bps: 2000 },
      message: 'We loved your trail videos',
    });
    expect(res.statusCode).toBe(201);
    const invitation = res.json();
    expect(invitation).toMatchObject({
      creatorId: creator.creatorId,
      creatorName: 'Dana Vaughan',
      status: 'invited',
      rate: { type: 'percent', bps: 2000 },
      reason: 'We loved your trail videos',
    });
    expect(invitation.history).toEqual([
      expect.objectContaining({ fromStatus: null, toStatus: 'invited', actor: brand.userId }),
    ]);

    const mine = await list(creator.token, '?status=invited');
    expect(mine.data.map((e) => e.id)).toEqual([invitation.id]);

    const accepted = await change(creator.token, invitation.id, { status: 'approved' });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'approved', rate: { type: 'percent', bps: 2000 } });
    expect(accepted.json().history[1]).toMatchObject({
      fromStatus: 'invited',
      toStatus: 'approved',
      actor: creator.userId,
    });
  });

  it('lets the creator decline an invitation, and the brand invite again later', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    const id = await invited(brand, program.id, creator.email);
    const declined = await change(creator.token, id, { status: 'rejected', reason: 'Not this season' });
    expect(declined.json()).toMatchObject({ status: 'rejected', reason: 'Not this season' });
    expectError(await change(creator.token, id, { status: 'approved' }), 403, 'FORBIDDEN');

    const again = await enroll(brand.token, program.id, { creatorEmail: creator.email });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ id, status: 'invited' });
    expect(again.json().history).toHaveLength(3);
  });

  it('invites an email with no account; that person signs up as a creator and finds the invitation', async () => {
    const program = await createProgram(t.app, brand.token, { ...validProgram, visibility: 'invite' });
    const email = uniqueEmail('newcomer');
    const res = await enroll(brand.token, program.id, { creatorEmail: email, creatorName: 'Veera Nieminen' });
    expect(res.statusCode).toBe(201);
    const invitation = res.json();
    expect(invitation).toMatchObject({ status: 'invited', creatorName: 'Veera Nieminen' });

    const creators = await t.database.handle.db.selectFrom('creators').selectAll().where('email', '=', email).execute();
    expect(creators).toHaveLength(1);
    expect(creators[0]).toMatchObject({ id: invitation.creatorId, user_id: null });

    // A second invitation to the same email, to another program, reuses the same creator record.
    const second = await createProgram(t.app, brand.token);
    const other = await enroll(brand.token, second.id, { creatorEmail: email });
    expect(other.json().creatorId).toBe(invitation.creatorId);

    const signup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email, password: PASSWORD, name: 'Veera N', kind: 'creator' },
    });
    expect(signup.statusCode).toBe(201);
    const { token, creator } = signup.json();
    expect(creator.id).toBe(invitation.creatorId);
    // The name the person chose at signup, not the one the invitation made.
    expect(creator.name).toBe('Veera N');
    const stored = await t.database.handle.db
      .selectFrom('creators')
      .select('name')
      .where('email', '=', email)
      .execute();
    expect(stored).toEqual([{ name: 'Veera N' }]);

    const mine = await list(token, '?status=invited');
    expect(mine.data.map((e) => e.id).sort()).toEqual([invitation.id, other.json().id].sort());
    const accepted = await change(token, invitation.id, { status: 'approved' });
    expect(accepted.json().status).toBe('approved');
  });

  it('refuses a brand invitation without creatorEmail with 400 naming the field', async () => {
    const program = await createProgram(t.app, brand.token);
    const res = await enroll(brand.token, program.id, {});
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain('body.creatorEmail');
    const bad = await enroll(brand.token, program.id, { creatorEmail: 'not-an-email' });
    expectError(bad, 400, 'VALIDATION_FAILED');
  });

  it('refuses a second invitation with 409 ALREADY_ENROLLED', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    await invited(brand, program.id, creator.email);
    const again = await enroll(brand.token, program.id, { creatorEmail: creator.email });
    expectError(again, 409, 'ALREADY_ENROLLED');
    expect(again.json().error.message).toMatch(/invitation/);
    expectError(await enroll(creator.token, program.id), 409, 'ALREADY_ENROLLED');
  });

  it("answers 404 to a brand inviting into another workspace's program", async () => {
    const stranger = await signupBrand(t.app, 'Stranger');
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    const res = await enroll(stranger.token, program.id, { creatorEmail: creator.email });
    expectError(res, 404, 'NOT_FOUND');
    expect(res.json().error.message).toBe('Program not found');
  });

  it('lets a viewer read enrollments but not invite or change them (403)', async () => {
    const viewer = await createKey(t.app, brand.token, 'viewer');
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    expectError(await enroll(viewer, program.id, { creatorEmail: creator.email }), 403, 'FORBIDDEN');
    const id = await applied(creator, program.id);
    expect((await read(viewer, id)).statusCode).toBe(200);
    expect((await list(viewer)).data.map((e) => e.id)).toContain(id);
    expectError(await change(viewer, id, { status: 'approved' }), 403, 'FORBIDDEN');
    expectError(await change(viewer, id, { rate: { type: 'percent', bps: 100 } }), 403, 'FORBIDDEN');
    expect((await read(brand.token, id)).json()).toMatchObject({ status: 'applied', rate: null });
  });
});

describe('changing an enrollment', () => {
  it('suspends with a reason and approves again', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    const id = await applied(creator, program.id);
    await change(brand.token, id, { status: 'approved' });
    const suspended = await change(brand.token, id, { status: 'suspended', reason: 'Misleading discount claims' });
    expect(suspended.json()).toMatchObject({ status: 'suspended', reason: 'Misleading discount claims' });
    expect(await findApprovedEnrollment(t.database.handle.db, program.id, creator.creatorId)).toBeUndefined();
    expectError(await enroll(creator.token, program.id), 409, 'ALREADY_ENROLLED');

    const back = await change(brand.token, id, { status: 'approved', reason: 'Captions fixed' });
    expect(back.json()).toMatchObject({ status: 'approved', reason: 'Captions fixed' });
    expect(back.json().history.map((e: { toStatus: string }) => e.toStatus)).toEqual([
      'applied',
      'approved',
      'suspended',
      'approved',
    ]);
  });

  it.each([
    ['rejected', 'applied'],
    ['suspended', 'approved'],
  ] as const)('needs a reason to set %s (400 REASON_REQUIRED)', async (status, from) => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    const id = await applied(creator, program.id);
    if (from === 'approved') await change(brand.token, id, { status: 'approved' });
    const res = await change(brand.token, id, { status });
    expectError(res, 400, 'REASON_REQUIRED');
    expect(res.json().error.fields).toEqual([expect.objectContaining({ path: 'body.reason' })]);
    expect((await read(brand.token, id)).json().status).toBe(from);
    const blank = await change(brand.token, id, { status, reason: '   ' });
    expectError(blank, 400, 'VALIDATION_FAILED');
  });

  it('refuses transitions the rules do not allow with 422 INVALID_TRANSITION naming both statuses', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    const invitation = await invited(brand, program.id, creator.email);
    const res = await change(brand.token, invitation, { status: 'approved' });
    expectError(res, 422, 'INVALID_TRANSITION');
    expect(res.json().error.message).toMatch(/from invited to approved/);

    const other = await signupCreator(t.app);
    const application = await applied(other, program.id);
    const suspend = await change(brand.token, application, { status: 'suspended', reason: 'x' });
    expectError(suspend, 422, 'INVALID_TRANSITION');
    expect(suspend.json().error.message).toMatch(/from applied to suspended/);
    expectError(await change(brand.token, application, { status: 'invited' }), 422, 'INVALID_TRANSITION');

    await change(brand.token, application, { status: 'rejected', reason: 'Not a fit' });
    const revive = await change(brand.token, application, { status: 'approved' });
    expectError(revive, 422, 'INVALID_TRANSITION');
    expect(revive.json().error.message).toMatch(/from rejected to approved/);
    expect((await read(brand.token, application)).json().history).toHaveLength(2);
  });

  it('lets a creator only accept or decline an invitation (403 for anything else)', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    const id = await applied(creator, program.id);
    expectError(await change(creator.token, id, { status: 'approved' }), 403, 'FORBIDDEN');
    await change(brand.token, id, { status: 'approved' });
    expectError(await change(creator.token, id, { status: 'suspended', reason: 'x' }), 403, 'FORBIDDEN');
    expectError(await change(creator.token, id, { rate: { type: 'percent', bps: 9000 } }), 403, 'FORBIDDEN');
    expect((await read(creator.token, id)).json()).toMatchObject({ status: 'approved', rate: null });
  });

  it('treats the same status again as done, with no new history', async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    const id = await applied(creator, program.id);
    await change(brand.token, id, { status: 'approved' });
    const again = await change(brand.token, id, { status: 'approved' });
    expect(again.statusCode).toBe(200);
    expect(again.json().history).toHaveLength(2);
  });

  it("sets and clears the creator's own rate", async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    const id = await applied(creator, program.id);
    const both = await change(brand.token, id, { status: 'approved', rate: { type: 'percent', bps: 2500 } });
    expect(both.json()).toMatchObject({ status: 'approved', rate: { type: 'percent', bps: 2500 } });

    const flat = await change(brand.token, id, { rate: { type: 'flat', amount: 750 } });
    expect(flat.statusCode).toBe(200);
    expect(flat.json()).toMatchObject({ status: 'approved', rate: { type: 'flat', amount: 750 } });
    expect(flat.json().history).toHaveLength(2);
    const row = await findApprovedEnrollment(t.database.handle.db, program.id, creator.creatorId);
    expect(row?.rate).toEqual({ type: 'flat', amount: 750 });

    const cleared = await change(brand.token, id, { rate: null });
    expect(cleared.json().rate).toBeNull();
    expect((await read(creator.token, id)).json().rate).toBeNull();
  });

  it.each([
    ['an empty body', {}, 'body.status'],
    ['an unknown status', { status: 'paused' }, 'body.status'],
    ['a rate over 100 %', { rate: { type: 'percent', bps: 10_001 } }, 'body.rate.bps'],
    ['a fractional flat rate', { rate: { type: 'flat', amount: 1.5 } }, 'body.rate.amount'],
    ['an unknown field', { status: 'approved', note: 'x' }, 'body.note'],
  ])('refuses %s with 400 naming the field', async (_what, payload, path) => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    const id = await applied(creator, program.id);
    const res = await change(brand.token, id, payload);
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain(path);
  });
});

describe('who sees what', () => {
  it("hides a creator's enrollment from another creator (404 to read and to change)", async () => {
    const program = await createProgram(t.app, brand.token);
    const owner = await signupCreator(t.app);
    const other = await signupCreator(t.app);
    const id = await invited(brand, program.id, owner.email);
    const missing = await read(other.token, 'enr_00000000000000000000000000');
    const theirs = await read(other.token, id);
    expectError(theirs, 404, 'NOT_FOUND');
    expect(theirs.json().error.message).toBe(missing.json().error.message);
    expectError(await change(other.token, id, { status: 'approved' }), 404, 'NOT_FOUND');
    expect((await list(other.token)).data).toEqual([]);
    expect((await read(owner.token, id)).json().status).toBe('invited');
  });

  it("hides a brand's enrollments from another brand (404 to read and to change, absent from lists)", async () => {
    const program = await createProgram(t.app, brand.token);
    const creator = await signupCreator(t.app);
    const id = await applied(creator, program.id);
    const stranger = await signupBrand(t.app, 'Stranger');
    const missing = await read(stranger.token, 'enr_00000000000000000000000000');
    const theirs = await read(stranger.token, id);
    expectError(theirs, 404, 'NOT_FOUND');
    expect(theirs.json().error.message).toBe(missing.json().error.message);
    expectError(await change(stranger.token, id, { status: 'approved' }), 404, 'NOT_FOUND');
    expect((await list(stranger.token)).data).toEqual([]);
    expect((await list(stranger.token, `?programId=${program.id}`)).data).toEqual([]);
    expect((await read(brand.token, id)).json().status).toBe('applied');
  });

  it('lists page by page with a cursor, newest first, filtered by program and status', async () => {
    const own = await signupBrand(t.app, 'Pager');
    const first = await createProgram(t.app, own.token);
    const second = await createProgram(t.app, own.token);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const creator = await signupCreator(t.app);
      ids.push(await applied(creator, first.id));
    }
    const elsewhere = await signupCreator(t.app);
    const secondId = await applied(elsewhere, second.id);
    await change(own.token, ids[0] as string, { status: 'approved' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(own.token, `?programId=${first.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    expect((await list(own.token, '?status=approved')).data.map((e) => e.id)).toEqual([ids[0]]);
    expect((await list(own.token, `?programId=${second.id}`)).data.map((e) => e.id)).toEqual([secondId]);
    expect((await list(own.token)).data).toHaveLength(6);
    expectError(
      await call(t.app, own.token, { method: 'GET', url: '/api/v1/enrollments?status=paused' }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('answers 401 without a token', async () => {
    expectError(await call(t.app, undefined, { method: 'GET', url: '/api/v1/enrollments' }), 401, 'UNAUTHENTICATED');
  });
});
