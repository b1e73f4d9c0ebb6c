import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeForAttribution } from '../../src/codes/repository.js';
import {
  approvedCreator,
  type Brand,
  type CreatorAccount,
  call,
  createKey,
  createProgram,
  signupBrand,
  signupCreator,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

let t: TestApp;
let brand: Brand;
let creator: CreatorAccount;
let programId: string;
beforeAll(async () => {
  t = await startTestApp();
  brand = await signupBrand(t.app, 'Aino');
  programId = (await createProgram(t.app, brand.token, validProgram)).id;
  creator = await approvedCreator(t.app, brand.token, programId, 'Krista Lehtonen');
});
afterAll(async () => {
  await t?.close();
});

const discount = { type: 'percent', bps: 2000 };
const give = (payload: object, token = brand.token) =>
  call(t.app, token, { method: 'POST', url: `/api/v1/programs/${programId}/codes`, payload });
const codeCount = async () =>
  Number(
    (
      await t.database.handle.db
        .selectFrom('codes')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const expectError = (res: { statusCode: number; body: string }, status: number, code: string) => {
  expect(res.statusCode, res.body).toBe(status);
  expect(JSON.parse(res.body).error.code).toBe(code);
};

describe('coupon codes', () => {
  it('gives an approved creator a vanity code, unique in the program whatever its case', async () => {
    const res = await give({ creatorId: creator.creatorId, code: 'KRISTA20', discount });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      id: expect.stringMatching(/^cpn_/),
      code: 'KRISTA20',
      creatorId: creator.creatorId,
      programId,
      discount,
      status: 'active',
      activeUntil: null,
    });
    const before = await codeCount();
    expectError(await give({ creatorId: creator.creatorId, code: 'krista20', discount }), 409, 'CODE_TAKEN');
    expect(await codeCount()).toBe(before);
    // Another program may use the same letters.
    const other = (await createProgram(t.app, brand.token, { ...validProgram, name: 'Second' })).id;
    await approvedCreator(t.app, brand.token, other, 'Dana').then(async (dana) => {
      const res2 = await call(t.app, brand.token, {
        method: 'POST',
        url: `/api/v1/programs/${other}/codes`,
        payload: { creatorId: dana.creatorId, code: 'KRISTA20', discount },
      });
      expect(res2.statusCode, res2.body).toBe(201);
    });
  });

  it('generates a readable code from the creator name when none is given', async () => {
    const res = await give({ creatorId: creator.creatorId, discount: { type: 'flat', amount: 500 } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().code).toMatch(/^KRISTALEHT-[A-HJ-NP-Z2-9]{4}$/);
  });

  it('refuses bad codes, unapproved creators and creators asking for themselves, storing nothing', async () => {
    const before = await codeCount();
    for (const code of ['AB', 'KRISTA 20', 'KRÏSTA', '-X20', 'K'.repeat(33)]) {
      expectError(await give({ creatorId: creator.creatorId, code, discount }), 400, 'INVALID_CODE');
    }
    const stranger = await signupCreator(t.app, 'Stranger');
    expectError(await give({ creatorId: stranger.creatorId, code: 'STRANGER', discount }), 422, 'CREATOR_NOT_APPROVED');
    expect((await give({ creatorId: creator.creatorId, code: 'MINE', discount }, creator.token)).statusCode).toBe(403);
    const viewer = await createKey(t.app, brand.token, 'viewer');
    expect((await give({ creatorId: creator.creatorId, code: 'VIEW', discount }, viewer)).statusCode).toBe(403);
    expect(
      (await give({ creatorId: creator.creatorId, code: 'BADPCT', discount: { type: 'percent', bps: 20000 } }))
        .statusCode,
    ).toBe(400);
    expect(await codeCount()).toBe(before);
  });

  it('lists codes for the brand and a creator its own', async () => {
    const mine = await call(t.app, creator.token, { method: 'GET', url: '/api/v1/codes' });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().data.every((c: { creatorId: string }) => c.creatorId === creator.creatorId)).toBe(true);
    expect(mine.json().data.length).toBeGreaterThanOrEqual(2);
    const program = await call(t.app, brand.token, {
      method: 'GET',
      url: `/api/v1/programs/${programId}/codes?limit=1`,
    });
    expect(program.json().data).toHaveLength(1);
    expect(program.json().nextCursor).toBeTruthy();
  });

  it('disables a code: it stops attributing at once, and can be enabled again', async () => {
    const code = (await give({ creatorId: creator.creatorId, code: 'PAUSE10', discount })).json();
    const db = t.database.handle.db;
    expect((await codeForAttribution(db, programId, 'pause10', new Date()))?.id).toBe(code.id);
    // The code must have been active for a moment, or no instant lies between its start and its end.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const off = await call(t.app, brand.token, {
      method: 'PATCH',
      url: `/api/v1/codes/${code.id}`,
      payload: { status: 'disabled' },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().activeUntil).not.toBeNull();
    expect(await codeForAttribution(db, programId, 'PAUSE10', new Date(Date.now() + 1000))).toBeUndefined();
    // A sale from before the code was disabled still finds it.
    expect((await codeForAttribution(db, programId, 'PAUSE10', new Date(Date.parse(code.activeFrom) + 1)))?.id).toBe(
      code.id,
    );
    const on = await call(t.app, brand.token, {
      method: 'PATCH',
      url: `/api/v1/codes/${code.id}`,
      payload: { status: 'active' },
    });
    expect(on.json()).toMatchObject({ status: 'active', activeUntil: null });
  });

  it('rotates a leaked code: a new code now, the old one stops at the given time and is never reused', async () => {
    const leaked = (await give({ creatorId: creator.creatorId, code: 'LEAKY15', discount })).json();
    const stopAt = new Date(Date.now() + 3_600_000).toISOString();
    const res = await call(t.app, brand.token, {
      method: 'POST',
      url: `/api/v1/codes/${leaked.id}/rotate`,
      payload: { code: 'KRISTA-NEW15', effectiveAt: stopAt },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { old, code } = res.json();
    expect(code).toMatchObject({ code: 'KRISTA-NEW15', creatorId: creator.creatorId, discount, status: 'active' });
    expect(old).toMatchObject({ id: leaked.id, replacedBy: code.id, activeUntil: stopAt });
    const db = t.database.handle.db;
    // Until then both attribute; afterwards only the new one.
    expect((await codeForAttribution(db, programId, 'LEAKY15', new Date()))?.id).toBe(leaked.id);
    expect(await codeForAttribution(db, programId, 'LEAKY15', new Date(Date.parse(stopAt) + 1))).toBeUndefined();
    expect((await codeForAttribution(db, programId, 'krista-new15', new Date(Date.parse(stopAt) + 1)))?.id).toBe(
      code.id,
    );
    // The leaked code can be neither rotated again, nor enabled, nor given to anyone else.
    expectError(
      await call(t.app, brand.token, { method: 'POST', url: `/api/v1/codes/${leaked.id}/rotate`, payload: {} }),
      409,
      'CODE_REPLACED',
    );
    expectError(await give({ creatorId: creator.creatorId, code: 'leaky15', discount }), 409, 'CODE_TAKEN');
    expectError(
      await call(t.app, brand.token, {
        method: 'POST',
        url: `/api/v1/codes/${code.id}/rotate`,
        payload: { effectiveAt: '2020-01-01T00:00:00.000Z' },
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it("hides a brand's codes from other brands and other creators", async () => {
    const code = (await give({ creatorId: creator.creatorId, code: 'PRIVATE1', discount })).json();
    const other = await signupBrand(t.app, 'Other');
    expect((await call(t.app, other.token, { method: 'GET', url: `/api/v1/codes/${code.id}` })).statusCode).toBe(404);
    expect((await call(t.app, other.token, { method: 'GET', url: '/api/v1/codes' })).json().data).toEqual([]);
    const someone = await signupCreator(t.app, 'Someone');
    expect((await call(t.app, someone.token, { method: 'GET', url: `/api/v1/codes/${code.id}` })).statusCode).toBe(404);
    expect((await call(t.app, creator.token, { method: 'GET', url: `/api/v1/codes/${code.id}` })).statusCode).toBe(200);
  });
});
