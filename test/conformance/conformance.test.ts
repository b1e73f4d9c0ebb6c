/**
 * The conformance suite: payloads in the shapes Stripe, Shopify and WooCommerce document, each
 * signed exactly as the platform signs it, delivered over HTTP to a server on a real port, and
 * the ledger they leave compared with the one written next to them.
 *
 * Each case is a folder under test/conformance/<platform>/ holding numbered payloads and a
 * `case.json`: the deliveries in order (file, topic where the platform puts it in a header, the
 * API version, and the answer expected) and the ledger expected afterwards. `{{kclid}}` in a
 * payload is replaced by a real click on the creator's link; `{{now}}` by the current Unix time.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvedCreator,
  call,
  createKey,
  createProgram,
  PASSWORD,
  signupBrand,
  startTestApp,
  type TestApp,
  validProgram,
} from '../helpers/app.js';

type Platform = 'stripe' | 'shopify' | 'woocommerce';

interface Delivery {
  file: string;
  /** Shopify's X-Shopify-Topic / WooCommerce's X-WC-Webhook-Topic (Stripe's type is in the body). */
  topic?: string;
  /** Shopify's X-Shopify-API-Version. */
  apiVersion?: string;
  status: number;
  outcome: string;
}

interface LedgerEntry {
  order: string;
  kind: 'sale' | 'reversal' | 'lead';
  amount: number;
}

interface Case {
  title: string;
  /** The program's currency (default EUR); orders in another are converted at the operator's rate. */
  currency?: string;
  deliveries: Delivery[];
  /** Sales recorded: order id and amount in the program's currency (net of discounts, tax and shipping). */
  sales: { order: string; amount: number }[];
  ledger: LedgerEntry[];
  /** Test orders kept apart afterwards (none when absent): they are never in `sales` or `ledger`. */
  testOrders?: { order: string; status: string; amount: number }[];
  /** Refunds left waiting for a sale afterwards, by refund id (none when absent). */
  waitingRefunds?: string[];
  /** The integration's settings beside its secret (the test-order setting). */
  integration?: { testOrders?: 'record' | 'ignore' };
  /** Set while the behaviour the case describes is not built yet: the case is listed, skipped. */
  pending?: string;
}

const SECRETS: Record<Platform, string> = {
  stripe: 'whsec_conformance_0123456789abcdef',
  shopify: 'shpss_conformance_0123456789abcdef',
  woocommerce: 'wc-conformance-secret-0123456789',
};
const RATES: Record<string, string> = { USD: '0.9', GBP: '1.15', SEK: '0.0875' };
const root = path.dirname(new URL(import.meta.url).pathname);

let t: TestApp;
let base: string;
let key: string;

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
  const brand = await signupBrand(t.app, 'Conformance');
  key = await createKey(t.app, brand.token, 'manager');
  await t.database.handle.db.updateTable('users').set({ is_operator: 1 }).where('id', '=', brand.userId).execute();
  const operator = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: brand.email, password: PASSWORD },
    })
  ).json().token as string;
  for (const [from, rate] of Object.entries(RATES)) {
    for (const to of ['EUR']) {
      const put = await call(t.app, operator, {
        method: 'PUT',
        url: `/api/v1/exchange-rates/${from}/${to}`,
        payload: { rate },
      });
      if (put.statusCode !== 200) throw new Error(put.body);
    }
  }
});
afterAll(async () => {
  await t?.close();
});

/** A program with a 20 % rate, an approved creator with a link and the code DANA10, and the platform's secret. */
async function programFor(platform: Platform, currency: string, settings: Case['integration'] = {}) {
  const program = await createProgram(t.app, key, {
    ...validProgram,
    currency,
    defaultRate: { type: 'percent', bps: 2000 },
    // Renewals of a subscription the creator won keep earning.
    commissionDuration: { type: 'lifetime' },
  });
  const creator = await approvedCreator(t.app, key, program.id, 'Dana Vaughan');
  const code = await call(t.app, key, {
    method: 'POST',
    url: `/api/v1/programs/${program.id}/codes`,
    payload: { creatorId: creator.creatorId, code: 'DANA10', discount: { type: 'percent', bps: 1000 } },
  });
  if (code.statusCode !== 201) throw new Error(code.body);
  const link = await call(t.app, key, {
    method: 'POST',
    url: '/api/v1/links',
    payload: { programId: program.id, creatorId: creator.creatorId, destinationUrl: 'https://shop.example.com/' },
  });
  const visit = await fetch(`${base}/${link.json().slug}`, {
    redirect: 'manual',
    headers: {
      'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
    },
  });
  const kclid = new URL(visit.headers.get('location') as string).searchParams.get('kclid') as string;
  const put = await call(t.app, key, {
    method: 'PUT',
    url: `/api/v1/programs/${program.id}/integrations/${platform}`,
    payload: { webhookSecret: SECRETS[platform], ...settings },
  });
  if (put.statusCode !== 200) throw new Error(put.body);
  return { programId: program.id, kclid };
}

const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body, 'utf8').digest('base64');

/** The headers each platform sends with a delivery, signed as the platform signs. */
function signed(platform: Platform, d: Delivery, body: string): Record<string, string> {
  if (platform === 'stripe') {
    return {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRETS.stripe }),
    };
  }
  if (platform === 'shopify') {
    return {
      'content-type': 'application/json',
      'x-shopify-topic': d.topic ?? '',
      'x-shopify-api-version': d.apiVersion ?? '2024-04',
      'x-shopify-shop-domain': 'revontuli-test.myshopify.com',
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-event-id': randomUUID(),
      'x-shopify-triggered-at': new Date().toISOString(),
      'x-shopify-hmac-sha256': hmac(SECRETS.shopify, body),
    };
  }
  const [resource, event] = (d.topic ?? '').split('.');
  return {
    'content-type': 'application/json',
    'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)',
    'x-wc-webhook-source': 'https://shop.example.com/',
    'x-wc-webhook-topic': d.topic ?? '',
    'x-wc-webhook-resource': resource ?? '',
    'x-wc-webhook-event': event ?? '',
    'x-wc-webhook-id': '17',
    'x-wc-webhook-delivery-id': randomUUID().replace(/-/g, ''),
    'x-wc-webhook-signature': hmac(SECRETS.woocommerce, body),
  };
}

async function ledgerOf(platform: Platform, programId: string) {
  const db = t.database.handle.db;
  const sales = await db
    .selectFrom('conversions')
    .select(['external_id as order', 'amount'])
    .where('program_id', '=', programId)
    .where('kind', '=', 'sale')
    .orderBy('external_id')
    .execute();
  const entries = await db
    .selectFrom('commissions')
    .innerJoin('conversions', 'conversions.id', 'commissions.conversion_id')
    .select(['conversions.external_id as order', 'commissions.kind', 'commissions.amount', 'commissions.refund_id'])
    .where('commissions.program_id', '=', programId)
    .orderBy('commissions.id')
    .execute();
  // One entry per order and event: a sale's lines together, each refund's reversals together.
  const ledger = new Map<string, LedgerEntry>();
  for (const e of entries) {
    const at = `${e.order} ${e.kind} ${e.refund_id ?? ''}`;
    const entry = ledger.get(at) ?? { order: e.order, kind: e.kind as LedgerEntry['kind'], amount: 0 };
    entry.amount += Number(e.amount);
    ledger.set(at, entry);
  }
  // Test orders as the brand sees them.
  const listed = await call(t.app, key, {
    method: 'GET',
    url: `/api/v1/programs/${programId}/integrations/${platform}/test-orders`,
  });
  if (listed.statusCode !== 200) throw new Error(listed.body);
  const tests = (listed.json().data as { orderId: string; status: string; amount: number }[]).sort((a, b) =>
    a.orderId.localeCompare(b.orderId),
  );
  const waiting = await db
    .selectFrom('refunds')
    .select('external_id')
    .where('program_id', '=', programId)
    .where('status', '=', 'waiting')
    .orderBy('external_id')
    .execute();
  return {
    sales: sales.map((s) => ({ order: s.order, amount: Number(s.amount) })),
    ledger: [...ledger.values()],
    testOrders: tests.map((o) => ({ order: o.orderId, status: o.status, amount: o.amount })),
    waitingRefunds: waiting.map((r) => r.external_id),
  };
}

for (const platform of ['stripe', 'shopify', 'woocommerce'] as const) {
  const dir = path.join(root, platform);
  const cases = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  describe(`${platform} conformance`, () => {
    for (const name of cases) {
      const spec = JSON.parse(readFileSync(path.join(dir, name, 'case.json'), 'utf8')) as Case;
      it.skipIf(spec.pending !== undefined)(`${name}: ${spec.title}`, async () => {
        const { programId, kclid } = await programFor(platform, spec.currency ?? 'EUR', spec.integration);
        const answers: { file: string; status: number; outcome: string }[] = [];
        for (const d of spec.deliveries) {
          const body = readFileSync(path.join(dir, name, d.file), 'utf8')
            .replaceAll('{{kclid}}', kclid)
            .replaceAll('"{{now}}"', String(Math.floor(Date.now() / 1000)));
          const res = await fetch(`${base}/api/v1/integrations/${platform}/${programId}/webhook`, {
            method: 'POST',
            headers: signed(platform, d, body),
            body,
          });
          const json = (await res.json()) as { status?: string; error?: { code: string } };
          answers.push({ file: d.file, status: res.status, outcome: json.status ?? json.error?.code ?? '' });
        }
        expect(answers).toEqual(spec.deliveries.map((d) => ({ file: d.file, status: d.status, outcome: d.outcome })));
        expect(await ledgerOf(platform, programId)).toEqual({
          sales: spec.sales,
          ledger: spec.ledger,
          testOrders: spec.testOrders ?? [],
          waitingRefunds: spec.waitingRefunds ?? [],
        });
      });
    }
  });
}
