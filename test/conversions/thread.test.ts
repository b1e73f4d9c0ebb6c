import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaleInput } from '../../src/conversions/contract.js';
import { trackResultSchema } from '../../src/conversions/schemas.js';
import { conversionsService } from '../../src/conversions/service.js';
import { ConversionsThread } from '../../src/conversions/thread.js';
import { errorBody } from '../../src/http/schemas.js';
import { systemClock } from '../../src/shared/clock.js';
import { trustedScope } from '../../src/shared/principal.js';
import {
  approvedCreator,
  call,
  compiledConversionsThread,
  createCode,
  createKey,
  createLink,
  createProduct,
  createProgram,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';
import { dialect } from '../helpers/database.js';

/**
 * On SQLite the server records sales, leads and refunds on a thread of their own. Every
 * delivery here goes once to a server that records in process and once to one that uses the
 * thread, and the two must answer alike, to the cent and the word; then the thread's own cases:
 * its end with deliveries in flight, and a thread that stops by itself.
 */
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

interface Side {
  t: TestApp;
  key: string;
  programId: string;
  clickId: string;
}

async function side(conversionsThread: boolean): Promise<Side> {
  const t = await startTestApp({ conversionsThread });
  const brand = await signupBrand(t.app, 'Aino');
  const key = await createKey(t.app, brand.token, 'manager');
  const programId = (
    await createProgram(t.app, brand.token, {
      ...validProgram,
      defaultRate: { type: 'percent', bps: 1000 },
      leadRewardAmount: 200,
    })
  ).id;
  const dana = await approvedCreator(t.app, brand.token, programId, 'Dana Vaughan');
  await createProduct(t.app, brand.token, programId, {
    externalId: 'synergy-leggings',
    name: 'Synergy leggings',
    rate: { type: 'percent', bps: 2000 },
  });
  await createCode(t.app, brand.token, programId, {
    creatorId: dana.creatorId,
    code: 'DANA15',
    discount: { type: 'percent', bps: 1500 },
  });
  await createLink(t.app, dana.token, { programId, slug: 'dana/tiktok', destinationUrl: 'https://shop.example.com/' });
  const click = await t.app.inject({ method: 'GET', url: '/dana/tiktok', headers: { 'user-agent': IPHONE } });
  const clickId = new URL(click.headers.location as string).searchParams.get('kclid') as string;
  return { t, key, programId, clickId };
}

/** The answer's text with what differs between two servers by nature (ids, times) put in words. */
function comparable(s: Side, body: string): string {
  return body
    .replaceAll(s.programId, '<program>')
    .replaceAll(s.clickId, '<click>')
    .replace(/\b[a-z]{2,5}_[0-9a-hjkmnp-tv-z]{26}\b/g, '<id>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');
}

describe.skipIf(dialect !== 'sqlite')('the conversions thread', () => {
  let inProcess: Side;
  let threaded: Side;
  beforeAll(async () => {
    expect(existsSync(compiledConversionsThread), 'the compiled thread (npm run build)').toBe(true);
    [inProcess, threaded] = await Promise.all([side(false), side(true)]);
    const thread = (threaded.t.app as unknown as { conversionsThread: ConversionsThread | null }).conversionsThread;
    expect(thread?.running).toBe(true);
    expect((inProcess.t.app as unknown as { conversionsThread: unknown }).conversionsThread).toBeNull();
  });
  afterAll(async () => {
    await inProcess?.t.close();
    await threaded?.t.close();
  });

  /** The same delivery to both servers: the answers must match, and the thread's must be a valid answer. */
  async function both(url: string, body: (s: Side) => object) {
    const answers = [];
    for (const s of [inProcess, threaded]) {
      const res = await call(s.t.app, s.key, { method: 'POST', url, payload: { programId: s.programId, ...body(s) } });
      // Byte for byte, with the same type: the thread's answer is put together as text.
      answers.push({
        status: res.statusCode,
        type: res.headers['content-type'],
        text: comparable(s, res.body),
        body: JSON.parse(comparable(s, res.body)),
      });
      if (res.statusCode < 300) trackResultSchema.parse(res.json());
      else errorBody.parse(res.json());
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[1]?.type).toBe('application/json; charset=utf-8');
    return answers[1] as { status: number; body: Record<string, unknown> };
  }

  const lines = [
    { productId: 'synergy-leggings', amount: 6000, quantity: 1 },
    { productId: 'socks', name: 'Wool socks', amount: 1500, quantity: 3 },
  ];

  it('records sales by code, by click and unattributed as in process', async () => {
    const byCode = await both('/api/v1/track/sale', () => ({
      orderId: 'T-1',
      currency: 'EUR',
      couponCode: 'dana15',
      lines,
    }));
    expect(byCode).toMatchObject({ status: 201, body: { status: 'recorded', conversion: { attribution: 'code' } } });
    const byClick = await both('/api/v1/track/sale', (s) => ({
      orderId: 'T-2',
      currency: 'EUR',
      clickId: s.clickId,
      lines,
    }));
    expect(byClick).toMatchObject({ status: 201, body: { conversion: { attribution: 'click' } } });
    const none = await both('/api/v1/track/sale', () => ({ orderId: 'T-3', currency: 'EUR', lines }));
    expect(none).toMatchObject({ status: 201, body: { status: 'unattributed' } });
  });

  it('answers a repeated order like the first, and a changed one with 409', async () => {
    const body = { orderId: 'T-4', currency: 'EUR', couponCode: 'DANA15', lines };
    await both('/api/v1/track/sale', () => body);
    const again = await both('/api/v1/track/sale', () => body);
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
    const changed = await both('/api/v1/track/sale', () => ({ ...body, lines: lines.slice(0, 1) }));
    expect(changed).toMatchObject({ status: 409, body: { error: { code: 'CONVERSION_CONFLICT' } } });
  });

  it('passes the service’s refusals through with their codes', async () => {
    const unknown = await both('/api/v1/track/sale', () => ({
      programId: 'prg_00000000000000000000000000',
      orderId: 'T-5',
      currency: 'EUR',
      lines,
    }));
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    const noRate = await both('/api/v1/track/sale', () => ({ orderId: 'T-6', currency: 'SEK', lines }));
    expect(noRate).toMatchObject({ status: 422, body: { error: { code: 'EXCHANGE_RATE_MISSING' } } });
  });

  it('keeps a refund that comes before its sale and applies it when the sale comes', async () => {
    const early = await both('/api/v1/track/refund', () => ({
      orderId: 'T-7',
      refundId: 'R-7',
      lines: [{ productId: 'synergy-leggings', amount: 6000 }],
    }));
    expect(early).toMatchObject({ body: { status: 'refund_waiting_for_sale' } });
    const sale = await both('/api/v1/track/sale', () => ({
      orderId: 'T-7',
      currency: 'EUR',
      couponCode: 'DANA15',
      lines,
    }));
    expect(sale.status).toBe(201);
    const refundAgain = await both('/api/v1/track/refund', () => ({
      orderId: 'T-7',
      refundId: 'R-7',
      lines: [{ productId: 'synergy-leggings', amount: 6000 }],
    }));
    expect(refundAgain).toMatchObject({ status: 200, body: { duplicate: true } });
  });

  it('records leads as in process', async () => {
    const lead = await both('/api/v1/track/lead', (s) => ({ leadId: 'L-1', clickId: s.clickId }));
    expect(lead).toMatchObject({ status: 201, body: { conversion: { kind: 'lead', attribution: 'click' } } });
  });

  /** A thread of its own on the threaded server's database, from `script`; never in process by accident. */
  async function ownThread(
    script: URL,
    onStopped?: (err: Error) => void,
    synchronous?: 'normal' | 'full',
  ): Promise<ConversionsThread> {
    const s = threaded;
    const thread = await ConversionsThread.start({
      file: s.t.database.config.dialect === 'sqlite' ? s.t.database.config.file : '',
      secret: s.t.config.secret,
      synchronous,
      script,
      fallback: conversionsService({
        db: s.t.database.handle.db,
        clock: systemClock,
        secret: s.t.config.secret,
        dialect,
      }),
      ...(onStopped ? { onStopped } : {}),
    });
    if (!thread) throw new Error(`the thread ${script.pathname} did not start`);
    return thread;
  }

  /** The scope of the brand that owns the threaded server's program. */
  async function brandScope() {
    const { workspace_id } = await threaded.t.database.handle.db
      .selectFrom('programs')
      .select('workspace_id')
      .where('id', '=', threaded.programId)
      .executeTakeFirstOrThrow();
    return trustedScope(workspace_id);
  }

  it("opens its connection with the server's SQLite sync setting", async () => {
    const normal = await ownThread(compiledConversionsThread);
    const full = await ownThread(compiledConversionsThread, undefined, 'full');
    try {
      expect(normal.synchronous).toBe(1);
      expect(full.synchronous).toBe(2);
    } finally {
      await normal.stop();
      await full.stop();
    }
  });

  it('answers every delivery in flight before it ends, each stored once', async () => {
    const s = threaded;
    const thread = await ownThread(compiledConversionsThread);
    const scope = await brandScope();
    const sale = (n: number): SaleInput => ({
      programId: s.programId,
      orderId: `END-${n}`,
      source: 'track',
      currency: 'EUR',
      couponCodes: ['DANA15'],
      lines: [{ productId: 'synergy-leggings', amount: 6000, quantity: 1 }],
    });
    const inFlight = Array.from({ length: 40 }, (_, n) => thread.recordSale(scope, sale(n)));
    await thread.stop();
    const outcomes = await Promise.all(inFlight);
    expect(outcomes.every((o) => o.status === 'recorded' && o.commissionIds.length === 1)).toBe(true);
    const stored = await s.t.database.handle.db
      .selectFrom('conversions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('external_id', 'like', 'END-%')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(40);
    expect(thread.running).toBe(false);
  });

  it('ends a thread that does not answer within its time, failing what it held', async () => {
    const s = threaded;
    const thread = await ownThread(new URL('../fixtures/silent-conversions-worker.mjs', import.meta.url));
    const held = thread.recordSale(trustedScope('wsp_00000000000000000000000000'), {
      programId: s.programId,
      orderId: 'STUCK-1',
      source: 'track',
      currency: 'EUR',
      lines: [{ amount: 100, quantity: 1 }],
    });
    const outcome = held.then(
      () => 'answered',
      (err: Error) => err.message,
    );
    const started = Date.now();
    await thread.stop(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await outcome).toMatch(/stopped/);
    expect(thread.running).toBe(false);
  });

  it('fails the delivery a stopping thread held, and records the next ones in process', async () => {
    const s = threaded;
    const stopped: Error[] = [];
    const thread = await ownThread(new URL('../fixtures/dying-conversions-worker.mjs', import.meta.url), (err) =>
      stopped.push(err),
    );
    const scope = await brandScope();
    const sale: SaleInput = {
      programId: s.programId,
      orderId: 'CRASH-1',
      source: 'track',
      currency: 'EUR',
      lines: [{ productId: 'synergy-leggings', amount: 6000, quantity: 1 }],
    };
    await expect(thread.recordSale(scope, sale)).rejects.toThrow(/stopped/);
    expect(stopped).toHaveLength(1);
    expect(thread.running).toBe(false);
    // The shop sends the order again: recorded once, in process.
    const retried = await thread.recordSale(scope, sale);
    expect(retried).toMatchObject({ status: 'unattributed', duplicate: false });
    const again = await thread.recordSale(scope, sale);
    expect(again.duplicate).toBe(true);
    await thread.stop();
  });
});
