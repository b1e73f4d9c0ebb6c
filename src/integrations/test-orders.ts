/**
 * Test orders: a Shopify order with `test: true` (the Bogus Gateway, or a payment provider in
 * test mode) or a Stripe event from test mode (`livemode: false`). No money moved, so a test
 * order never earns: it is kept here, apart from the sales, the ledger and every figure, where
 * the integration's `testOrders` setting is `record`, so that a shop can see its test checkout
 * arrive and which click and codes it carried. Refunds and cancellations of a test order only
 * change its status here.
 */
import type { DbOrTx } from '../db/database.js';
import type { TestOrdersTable } from '../db/schema.js';
import type { IntegrationPlatform } from './schemas.js';

/** A test order as a delivery carries it. */
export interface TestOrder {
  orderId: string;
  currency: string;
  /** Its lines net of discounts, in minor units. */
  amount: number;
  grossAmount: number | null;
  lineCount: number;
  clickId: string | null;
  couponCodes: string[];
}

/** A refund or cancellation of a test order. */
export interface TestOrderChange {
  orderId: string;
  status: 'refunded' | 'cancelled';
}

export interface TestOrderView {
  orderId: string;
  platform: IntegrationPlatform;
  currency: string;
  amount: number;
  grossAmount: number | null;
  lineCount: number;
  clickId: string | null;
  couponCodes: string[];
  status: TestOrdersTable['status'];
  lastTopic: string | null;
  receivedAt: string;
  updatedAt: string;
}

/** Keeps a test order, or brings it up to date when the platform sends it again. */
export async function keepTestOrder(
  db: DbOrTx,
  key: { workspaceId: string; programId: string; platform: IntegrationPlatform },
  order: TestOrder,
  topic: string | null,
  at: Date,
): Promise<void> {
  const now = at.toISOString();
  const values = {
    currency: order.currency,
    amount: order.amount,
    gross_amount: order.grossAmount,
    line_count: order.lineCount,
    click_id: order.clickId,
    coupon_codes: JSON.stringify(order.couponCodes),
    last_topic: topic,
    updated_at: now,
  };
  await db
    .insertInto('test_orders')
    .values({
      program_id: key.programId,
      platform: key.platform,
      order_id: order.orderId,
      workspace_id: key.workspaceId,
      status: 'received',
      received_at: now,
      ...values,
    })
    .onConflict((oc) => oc.columns(['program_id', 'platform', 'order_id']).doUpdateSet(values))
    .execute();
}

/** Marks a kept test order refunded or cancelled; false when no such test order is kept. */
export async function changeTestOrder(
  db: DbOrTx,
  programId: string,
  platform: IntegrationPlatform,
  change: TestOrderChange,
  topic: string | null,
  at: Date,
): Promise<boolean> {
  const res = await db
    .updateTable('test_orders')
    .set({ status: change.status, last_topic: topic, updated_at: at.toISOString() })
    .where('program_id', '=', programId)
    .where('platform', '=', platform)
    .where('order_id', '=', change.orderId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** A program's kept test orders of a platform, the latest first. */
export async function listTestOrders(
  db: DbOrTx,
  workspaceId: string,
  programId: string,
  platform: IntegrationPlatform,
  limit: number,
): Promise<TestOrderView[]> {
  const rows = await db
    .selectFrom('test_orders')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('program_id', '=', programId)
    .where('platform', '=', platform)
    .orderBy('received_at', 'desc')
    .orderBy('order_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    orderId: r.order_id,
    platform: r.platform,
    currency: r.currency,
    amount: Number(r.amount),
    grossAmount: r.gross_amount === null ? null : Number(r.gross_amount),
    lineCount: Number(r.line_count),
    clickId: r.click_id,
    couponCodes: JSON.parse(r.coupon_codes) as string[],
    status: r.status,
    lastTopic: r.last_topic,
    receivedAt: r.received_at,
    updatedAt: r.updated_at,
  }));
}
