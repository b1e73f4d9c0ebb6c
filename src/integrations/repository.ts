/**
 * The SQL of integrations: each program's sealed webhook secrets, the delivery log, and what
 * Stripe said of each payment's refunds and which payment paid which invoice.
 */
import { createHash } from 'node:crypto';
import type { DbOrTx } from '../db/database.js';
import { sql } from '../db/kysely.js';
import type {
  IntegrationsTable,
  StripeInvoicePaymentsTable,
  StripeRefundsSeenTable,
  WebhookDeliveriesTable,
} from '../db/schema.js';
import { newId } from '../shared/ids.js';
import type { IntegrationPlatform } from './schemas.js';

export async function findIntegration(
  db: DbOrTx,
  programId: string,
  platform: IntegrationPlatform,
): Promise<IntegrationsTable | undefined> {
  return db
    .selectFrom('integrations')
    .selectAll()
    .where('program_id', '=', programId)
    .where('platform', '=', platform)
    .executeTakeFirst();
}

export async function insertIntegration(db: DbOrTx, row: IntegrationsTable): Promise<void> {
  await db.insertInto('integrations').values(row).execute();
}

export async function setIntegration(
  db: DbOrTx,
  id: string,
  change: Partial<Pick<IntegrationsTable, 'secret_sealed' | 'secret_hint' | 'test_orders'>> &
    Pick<IntegrationsTable, 'updated_at'>,
): Promise<void> {
  await db.updateTable('integrations').set(change).where('id', '=', id).execute();
}

export async function listIntegrations(db: DbOrTx, workspaceId: string, programId: string) {
  return db
    .selectFrom('integrations')
    .selectAll()
    .where('program_id', '=', programId)
    .where('workspace_id', '=', workspaceId)
    .orderBy('platform')
    .execute();
}

/** Removes a program's integration with a platform; false when there was none. */
export async function deleteIntegration(
  db: DbOrTx,
  workspaceId: string,
  programId: string,
  platform: IntegrationPlatform,
): Promise<boolean> {
  const res = await db
    .deleteFrom('integrations')
    .where('program_id', '=', programId)
    .where('platform', '=', platform)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export interface DeliveryRecord {
  workspaceId: string;
  programId: string;
  platform: IntegrationPlatform;
  topic: string | null;
  deliveryId: string | null;
  test: boolean;
  verified: boolean;
  refusal: string | null;
  outcome: WebhookDeliveriesTable['outcome'];
  conversionId: string | null;
  summary: string | null;
  errorCode: string | null;
  body: Buffer;
  at: Date;
}

/** Longest text kept of a value the sender chose (a header, a refusal): the log stays bounded. */
export const MAX_LOGGED_TEXT = 200;

/**
 * A sender's text as the log keeps it: printable characters only (control characters become
 * spaces) and at most `max` characters, the cut marked with `…`.
 */
export function bounded(value: string | null, max = MAX_LOGGED_TEXT): string | null {
  if (value === null) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/**
 * A delivery to a program or platform that has no webhook secret cannot be verified: only a
 * count and the time of the last one are kept, so nobody can grow the log without the secret.
 */
export async function countUnconfigured(
  db: DbOrTx,
  programId: string,
  platform: IntegrationPlatform,
  at: Date,
): Promise<void> {
  await db
    .insertInto('webhook_unconfigured_counts')
    .values({ program_id: programId, platform, count: 1, last_at: at.toISOString() })
    .onConflict((oc) =>
      oc.columns(['program_id', 'platform']).doUpdateSet({
        count: sql`webhook_unconfigured_counts.count + 1`,
        last_at: at.toISOString(),
      }),
    )
    .execute();
}

export async function unconfiguredCount(
  db: DbOrTx,
  programId: string,
  platform: IntegrationPlatform,
): Promise<{ count: number; lastReceivedAt: string } | null> {
  const row = await db
    .selectFrom('webhook_unconfigured_counts')
    .select(['count', 'last_at'])
    .where('program_id', '=', programId)
    .where('platform', '=', platform)
    .executeTakeFirst();
  return row ? { count: Number(row.count), lastReceivedAt: row.last_at } : null;
}

export async function logDelivery(db: DbOrTx, d: DeliveryRecord): Promise<string> {
  const id = newId('webhookDelivery', d.at.getTime());
  await db
    .insertInto('webhook_deliveries')
    .values({
      id,
      workspace_id: d.workspaceId,
      program_id: d.programId,
      platform: d.platform,
      topic: bounded(d.topic),
      delivery_id: bounded(d.deliveryId),
      test: d.test ? 1 : 0,
      verified: d.verified ? 1 : 0,
      refusal: bounded(d.refusal, 500),
      outcome: d.outcome,
      conversion_id: d.conversionId,
      summary: bounded(d.summary, 2000),
      error_code: d.errorCode,
      body_bytes: d.body.length,
      body_sha256: createHash('sha256').update(d.body).digest('hex'),
      received_at: d.at.toISOString(),
    })
    .execute();
  return id;
}

/** A verified delivery with this platform id already did its work: the platform sent it again. */
export async function alreadyDelivered(
  db: DbOrTx,
  programId: string,
  platform: IntegrationPlatform,
  deliveryId: string,
) {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('program_id', '=', programId)
    .where('platform', '=', platform)
    .where('delivery_id', '=', deliveryId)
    .where('verified', '=', 1)
    .where('test', '=', 0)
    .where('outcome', 'not in', ['failed', 'refused'])
    .executeTakeFirst();
  return row !== undefined;
}

export async function listDeliveries(
  db: DbOrTx,
  workspaceId: string,
  programId: string,
  platform: IntegrationPlatform,
  opts: { limit: number; before?: string | undefined },
) {
  let q = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('program_id', '=', programId)
    .where('platform', '=', platform);
  if (opts.before) q = q.where('id', '<', opts.before);
  const rows = await q.orderBy('id', 'desc').limit(opts.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    platform: r.platform,
    topic: r.topic,
    deliveryId: r.delivery_id,
    test: r.test === 1,
    verified: r.verified === 1,
    refusal: r.refusal,
    outcome: r.outcome,
    conversionId: r.conversion_id,
    summary: r.summary,
    errorCode: r.error_code,
    bodyBytes: r.body_bytes,
    bodySha256: r.body_sha256,
    receivedAt: r.received_at,
  }));
}

/** The invoice a Stripe payment (its payment intent or charge) paid, where `invoice_payment.paid` told. */
export async function invoiceOfPayment(db: DbOrTx, programId: string, refs: string[]): Promise<string | undefined> {
  if (refs.length === 0) return undefined;
  const row = await db
    .selectFrom('stripe_invoice_payments')
    .select('invoice_id')
    .where('program_id', '=', programId)
    .where('payment_ref', 'in', refs)
    .executeTakeFirst();
  return row?.invoice_id;
}

/** What Stripe said so far of one payment's refunds. */
export function refundsSeen(db: DbOrTx, programId: string, paymentKey: string): Promise<StripeRefundsSeenTable[]> {
  return db
    .selectFrom('stripe_refunds_seen')
    .selectAll()
    .where('program_id', '=', programId)
    .where('payment_key', '=', paymentKey)
    .execute();
}

/** Keeps what a refund event said; what was kept before stays as it was. */
export async function keepRefundsSeen(db: DbOrTx, rows: StripeRefundsSeenTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('stripe_refunds_seen')
    .values(rows)
    .onConflict((oc) => oc.columns(['program_id', 'payment_key', 'ref']).doNothing())
    .execute();
}

/** Keeps which payment paid which invoice; a payment linked before stays as it was. */
export async function keepInvoicePayments(db: DbOrTx, rows: StripeInvoicePaymentsTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('stripe_invoice_payments')
    .values(rows)
    .onConflict((oc) => oc.columns(['program_id', 'payment_ref']).doNothing())
    .execute();
}
