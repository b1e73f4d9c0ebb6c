import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as accounts from '../../src/accounts/repository.js';
import * as codes from '../../src/codes/repository.js';
import * as links from '../../src/links/repository.js';
import { newId } from '../../src/shared/ids.js';
import {
  approvedCreator,
  createCode,
  createLink,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

/**
 * A row whose unique value another row took between a service's check and its insert (a twin
 * request) is not inserted, and the insert says so: the services answer from that, never from a
 * caught constraint error. Each repository is asked directly here, the race made by hand.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('an insert whose unique value is taken', () => {
  it('writes no second user with an address, in any case', async () => {
    const db = t.database.handle.db;
    const user = (email: string) => ({
      id: newId('user'),
      email,
      name: 'Twin',
      passwordHash: 'x',
      kind: 'creator' as const,
      isOperator: false,
      createdAt: new Date().toISOString(),
    });
    expect(await accounts.insertUserIfNew(db, user('twin@example.com'))).toMatchObject({ email: 'twin@example.com' });
    expect(await accounts.insertUserIfNew(db, user('twin@example.com'))).toBeUndefined();
    const rows = await db.selectFrom('users').select('id').where('email', '=', 'twin@example.com').execute();
    expect(rows).toHaveLength(1);
  });

  it("writes no second code of a program's code, whatever its case", async () => {
    const brand = await signupBrand(t.app);
    const program = await createProgram(t.app, brand.token, validProgram);
    const creator = await approvedCreator(t.app, brand.token, program.id);
    const made = await createCode(t.app, brand.token, program.id, {
      creatorId: creator.creatorId,
      code: 'TWIN20',
      discount: { type: 'percent', bps: 2000 },
    });
    const row = await codes.findCode(t.database.handle.db, { workspaceId: brand.workspaceId }, made.id);
    if (!row) throw new Error('the code was not made');
    const twin = { ...row, id: newId('code'), code: 'twin20' };
    expect(await codes.insertCodeIfFree(t.database.handle.db, twin)).toBe(false);
    expect(await codes.findCode(t.database.handle.db, { workspaceId: brand.workspaceId }, twin.id)).toBeUndefined();
    expect(await codes.insertCodeIfFree(t.database.handle.db, { ...twin, code: 'TWIN21' })).toBe(true);
  });

  it('writes no second link with a slug', async () => {
    const brand = await signupBrand(t.app);
    const program = await createProgram(t.app, brand.token, validProgram);
    const creator = await approvedCreator(t.app, brand.token, program.id);
    const made = await createLink(t.app, creator.token, {
      programId: program.id,
      destinationUrl: 'https://shop.example.com/',
    });
    const row = await links.findLink(t.database.handle.db, { workspaceId: brand.workspaceId }, made.id);
    if (!row) throw new Error('the link was not made');
    expect(await links.insertLinkIfFree(t.database.handle.db, { ...row, id: newId('link') })).toBe(false);
    expect(
      await links.insertLinkIfFree(t.database.handle.db, { ...row, id: newId('link'), slug: `${row.slug}x` }),
    ).toBe(true);
  });
});
