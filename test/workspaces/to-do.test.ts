import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createKey,
  createProgram,
  signupBrand,
  signupCreator,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';
import {
  approveAll,
  freshIban,
  type PayoutWorld,
  payoutWorld,
  runPayouts,
  sale,
  sepaProfile,
} from '../payouts/world.js';

/**
 * GET /api/v1/workspace/to-do: what waits for a brand across its programs, counted exactly (the
 * overview used to count pages of 100), and only the brand's own.
 */
let t: TestApp;
let w: PayoutWorld;
const HELD = 101;

beforeAll(async () => {
  t = await startTestApp();
  w = await payoutWorld(t, { creators: 2 });
  const [paid, selfBuyer] = w.creators;
  // One payout made by a run and not yet confirmed.
  await sepaProfile(t, paid!, freshIban());
  await sale(t, w, paid!, 60_000);
  await approveAll(t);
  expect((await runPayouts(t, w)).statusCode).toBe(201);
  // More held commissions than a page holds: the creator buys with their own code, again and again.
  for (let i = 0; i < HELD; i++) {
    const res = await call(t.app, w.brand.token, {
      method: 'POST',
      url: '/api/v1/track/sale',
      payload: {
        programId: w.programId,
        orderId: `self-${i}`,
        currency: 'EUR',
        couponCode: selfBuyer!.code,
        customerEmail: selfBuyer!.email,
        lines: [{ productId: 'p1', amount: 1000, quantity: 1 }],
      },
    });
    expect(res.statusCode).toBe(201);
  }
  // A creator applies to an open program.
  const open = await createProgram(t.app, w.brand.token, { ...validProgram, name: 'Open', visibility: 'open' });
  const applicant = await signupCreator(t.app, 'Applicant');
  const applied = await call(t.app, applicant.token, {
    method: 'POST',
    url: `/api/v1/programs/${open.id}/enrollments`,
    payload: {},
  });
  expect(applied.statusCode, applied.body).toBe(201);
  // An open alert of a leaked code and a resolved one.
  const code = await t.database.handle.db
    .selectFrom('codes')
    .select(['id'])
    .where('code', '=', selfBuyer!.code)
    .executeTakeFirstOrThrow();
  for (const [id, status] of [
    ['cal_todo_open', 'open'],
    ['cal_todo_done', 'resolved'],
  ] as const) {
    await t.database.handle.db
      .insertInto('code_alerts')
      .values({
        id,
        workspace_id: w.brand.workspaceId,
        program_id: w.programId,
        code_id: code.id,
        reason: 'spike',
        detail: 'uses jumped',
        status,
        resolution: status === 'resolved' ? 'not_leaked' : null,
        note: null,
        opened_at: new Date().toISOString(),
        resolved_at: status === 'resolved' ? new Date().toISOString() : null,
        resolved_by: null,
      })
      .execute();
  }
  // WooCommerce is connected and its latest delivery was refused; Shopify is connected and quiet.
  for (const platform of ['woocommerce', 'shopify']) {
    const put = await call(t.app, w.brand.token, {
      method: 'PUT',
      url: `/api/v1/programs/${w.programId}/integrations/${platform}`,
      payload: { webhookSecret: 'a-long-enough-secret' },
    });
    expect(put.statusCode, put.body).toBe(200);
  }
  const refused = await t.app.inject({
    method: 'POST',
    url: `/api/v1/integrations/woocommerce/${w.programId}/webhook`,
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-topic': 'order.updated',
      'x-wc-webhook-signature': 'bad',
    },
    payload: JSON.stringify({ id: 1 }),
  });
  expect(refused.statusCode).toBe(401);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const toDo = (token: string | undefined) => call(t.app, token, { method: 'GET', url: '/api/v1/workspace/to-do' });

describe("a brand's to-do counts", () => {
  it('counts exactly, past a page of 100, what waits across the programs', async () => {
    const res = await toDo(w.brand.token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      heldCommissions: HELD,
      applications: 1,
      openCodeAlerts: 1,
      payoutsToConfirm: 1,
      failingWebhooks: [
        { programId: w.programId, programName: 'Payout Program', platform: 'woocommerce', outcome: 'refused' },
      ],
    });
  });

  it('answers a viewer key of the brand alike', async () => {
    const key = await createKey(t.app, w.brand.token, 'viewer');
    expect((await toDo(key)).json()).toEqual((await toDo(w.brand.token)).json());
  });

  it("shows another brand nothing of this brand's", async () => {
    const other = await signupBrand(t.app, 'Other Brand');
    const res = await toDo(other.token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      heldCommissions: 0,
      applications: 0,
      openCodeAlerts: 0,
      payoutsToConfirm: 0,
      failingWebhooks: [],
    });
  });

  it('refuses a creator and a caller with no token', async () => {
    expect((await toDo(w.creators[0]!.token)).statusCode).toBe(403);
    expect((await toDo(undefined)).statusCode).toBe(401);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(doc.paths['/api/v1/workspace/to-do'].get.responses['200']).toBeDefined();
    expect(doc.components.schemas.ToDo).toBeDefined();
  });
});
