/**
 * Receiving a shop platform's webhook: find the program and its secret, verify the delivery
 * against the raw bytes, log it (refused ones too), recognise a repeated delivery, and hand the
 * sales and refunds it carries to the one conversions service. Every expected end is a tagged
 * outcome the route maps to HTTP; only a failure to record is an error.
 */

import type { ConversionOutcome, ConversionsPort } from '../conversions/contract.js';
import { findSaleByOrder } from '../conversions/repository.js';
import type { Db } from '../db/database.js';
import { programOwner } from '../programs/repository.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import type { WorkspaceScope } from '../shared/principal.js';
import { trustedScope } from '../shared/principal.js';
import { type Action, readDelivery } from './deliveries.js';
import {
  alreadyDelivered,
  countUnconfigured,
  type DeliveryRecord,
  listDeliveries,
  logDelivery,
  unconfiguredCount,
} from './repository.js';
import { sampleDelivery } from './samples.js';
import type { IntegrationPlatform } from './schemas.js';
import type { IntegrationsService } from './service.js';
import { linkInvoicePayment, planStripeRefund } from './stripe-refunds.js';
import { changeTestOrder, keepTestOrder } from './test-orders.js';

type Headers = Record<string, string | string[] | undefined>;

/** What a delivery asks the conversions service to record. */
export type RecordAction = Extract<Action, { kind: 'sale' | 'refund' }>;

/** What receiving a delivery came to. */
export type WebhookOutcome =
  | { kind: 'unknown_program' }
  | { kind: 'not_configured'; platform: IntegrationPlatform; programId: string }
  | { kind: 'invalid_payload'; platform: IntegrationPlatform; deliveryId: string; message: string }
  | { kind: 'invalid_signature'; platform: IntegrationPlatform; refusal: string }
  /** Taken in: `status` is what the log says of it (recorded, duplicate, ignored, test_order…). */
  | { kind: 'received'; deliveryId: string; status: string; summary: string; conversionIds: string[] }
  /** Recording failed (logged as failed): the error is the answer. */
  | { kind: 'failed'; error: unknown };

/** What a test delivery showed, recording nothing. */
export type WebhookTestOutcome =
  | { kind: 'not_configured' }
  | {
      kind: 'tested';
      verified: boolean;
      topic: string | null;
      deliveryId: string;
      wouldRecord: RecordAction[];
      summary: string;
    };

function describe(action: RecordAction): string {
  return action.kind === 'sale'
    ? `sale ${action.input.orderId} of ${action.input.lines.length} line(s)${action.input.clickId ? `, click ${action.input.clickId}` : ''}${
        action.input.couponCodes?.length ? `, codes ${action.input.couponCodes.join(', ')}` : ''
      }`
    : `refund ${action.input.refundId} of order ${action.input.orderId}`;
}

/** The delivery's outcome as the log keeps it, from the outcomes of what it carried. */
function summed(outcomes: ConversionOutcome[]) {
  const summary = outcomes.map((o) => o.summary).join('; ');
  const first = outcomes.find((o) => o.conversionId) ?? outcomes[0];
  const status = outcomes.every((o) => o.duplicate)
    ? 'duplicate'
    : (outcomes.find((o) => !o.duplicate)?.status ?? 'recorded');
  const conversionIds = [...new Set(outcomes.map((o) => o.conversionId).filter((c): c is string => c !== null))];
  return { summary, status, conversionId: first?.conversionId ?? null, conversionIds };
}

export function webhooksService({
  db,
  clock,
  integrations,
  conversions,
}: {
  db: Db;
  clock: Clock;
  integrations: IntegrationsService;
  conversions: ConversionsPort;
}) {
  /**
   * Records what a verified delivery carries. A WooCommerce order update that changed the
   * order's lines after it was paid is an edit: the order is read again and its commission
   * adjusted through the ledger, never refused (its refunds are recorded as well). A Stripe
   * subscription's Checkout Session and its first invoice are one order: whichever comes second
   * finds it recorded.
   */
  async function record(platform: IntegrationPlatform, scope: WorkspaceScope, actions: RecordAction[]) {
    const outcomes: ConversionOutcome[] = [];
    // A WooCommerce order edited after it was paid is read again and its commission adjusted.
    const byPlatform = platform === 'stripe' ? 'report' : platform === 'woocommerce' ? 'edit' : undefined;
    for (const action of actions) {
      if (action.kind === 'refund') {
        outcomes.push(await conversions.recordRefund(scope, action.input));
        continue;
      }
      const conflicts = action.conflicts ?? byPlatform;
      const outcome = await conversions.recordSale(scope, action.input, conflicts ? { conflicts } : undefined);
      if (outcome.conflict && platform === 'stripe') {
        outcome.summary = `order ${action.input.orderId} was recorded from its other event (the Checkout Session or its first invoice): one order, recorded once`;
      }
      if (outcome.conflict && platform === 'shopify') {
        outcome.summary = `order ${action.input.orderId} was recorded since in another state (an orders/updated came first): nothing changed`;
      }
      outcomes.push(outcome);
    }
    return outcomes;
  }

  async function receive(
    platform: IntegrationPlatform,
    programId: string,
    raw: Buffer,
    headers: Headers,
  ): Promise<WebhookOutcome> {
    const program = await programOwner(db, programId);
    if (!program) return { kind: 'unknown_program' };
    const base = { workspaceId: program.workspace_id, programId, platform, test: false, body: raw, at: clock.now() };
    const log = (d: Omit<DeliveryRecord, keyof typeof base>) => logDelivery(db, { ...base, ...d });
    const settings = await integrations.deliverySettings(programId, platform);
    const secret = settings?.secret;
    if (!settings || !secret) {
      // Nothing can be verified: counted, never stored.
      await countUnconfigured(db, programId, platform, base.at);
      return { kind: 'not_configured', platform, programId };
    }
    const reading = await readDelivery(platform, programId, raw, headers, secret);
    if ('invalid' in reading) {
      const id = await log({
        topic: null,
        deliveryId: null,
        verified: true,
        refusal: null,
        outcome: 'failed',
        conversionId: null,
        summary: reading.invalid,
        errorCode: 'INVALID_PAYLOAD',
      });
      return { kind: 'invalid_payload', platform, deliveryId: id, message: reading.invalid };
    }
    if (!reading.verified) {
      const id = await log({
        topic: reading.topic,
        deliveryId: reading.deliveryId,
        verified: false,
        refusal: reading.refusal,
        outcome: reading.ping ? 'ignored' : 'refused',
        conversionId: null,
        summary: null,
        errorCode: reading.ping ? null : 'INVALID_SIGNATURE',
      });
      if (!reading.ping) return { kind: 'invalid_signature', platform, refusal: reading.refusal };
      return { kind: 'received', deliveryId: id, status: 'ignored', summary: reading.refusal, conversionIds: [] };
    }
    const verified = { topic: reading.topic, deliveryId: reading.deliveryId, verified: true, refusal: null };
    if (reading.deliveryId && (await alreadyDelivered(db, programId, platform, reading.deliveryId))) {
      const id = await log({
        ...verified,
        outcome: 'duplicate',
        conversionId: null,
        summary: `delivery ${reading.deliveryId} was received before: nothing changed`,
        errorCode: null,
      });
      return {
        kind: 'received',
        deliveryId: id,
        status: 'duplicate',
        summary: 'received before: nothing changed',
        conversionIds: [],
      };
    }
    // Stripe's refunds are reconciled with what earlier events of the payment said; what they
    // said is kept once the refund is recorded.
    const actions: RecordAction[] = [];
    const notes: string[] = [];
    const commits: ((tx: Db) => Promise<void>)[] = [];
    let tests = 0;
    const key = { workspaceId: program.workspace_id, programId, platform };
    for (const action of reading.actions) {
      if (action.kind === 'testOrder') {
        const id = action.order.orderId;
        if (settings.testOrders === 'record') {
          await keepTestOrder(db, key, action.order, reading.topic, base.at);
          tests += 1;
          notes.push(`test order ${id} recorded apart as a test: it never earns`);
        } else notes.push(`test order ${id} ignored (the integration's testOrders setting): it never earns`);
      } else if (action.kind === 'testChange') {
        const { orderId, status } = action.change;
        const kept = await changeTestOrder(db, programId, platform, action.change, reading.topic, base.at);
        if (kept) tests += 1;
        notes.push(`test order ${orderId} ${status}: test orders never earn, nothing to reverse`);
      } else if (action.kind === 'refund' && action.onlyIfRecorded) {
        if (await findSaleByOrder(db, programId, action.input.orderId)) actions.push(action);
        else notes.push(action.onlyIfRecorded);
      } else if (action.kind === 'stripeRefunds') {
        const plan = await planStripeRefund(db, programId, action.refunds, base.at);
        commits.push(plan.commit);
        if (plan.input) actions.push({ kind: 'refund', input: plan.input });
        else notes.push(plan.summary);
      } else if (action.kind === 'stripeInvoicePayment') {
        await linkInvoicePayment(db, programId, action.invoiceId, action.payments, base.at);
        notes.push(
          `payment ${action.payments.join(', ')} of invoice ${action.invoiceId} noted: its refunds reverse that invoice's sale`,
        );
      } else actions.push(action);
    }
    if (actions.length === 0) {
      for (const commit of commits) await commit(db);
      const summary = [reading.ignored, ...notes].filter(Boolean).join('; ') || 'nothing to record';
      const status = tests > 0 ? 'test_order' : 'ignored';
      const id = await log({ ...verified, outcome: status, conversionId: null, summary, errorCode: null });
      return { kind: 'received', deliveryId: id, status, summary, conversionIds: [] };
    }
    let outcomes: ConversionOutcome[];
    try {
      outcomes = await record(platform, trustedScope(program.workspace_id), actions);
      for (const commit of commits) await commit(db);
    } catch (error) {
      // Whatever stopped the recording is logged with its code, and is the answer.
      await log({
        ...verified,
        outcome: 'failed',
        conversionId: null,
        summary: (error as Error).message,
        errorCode: error instanceof AppError ? error.code : 'INTERNAL',
      });
      return { kind: 'failed', error };
    }
    const done = summed(outcomes);
    const id = await log({
      ...verified,
      outcome: done.status as DeliveryRecord['outcome'],
      conversionId: done.conversionId,
      summary: done.summary,
      errorCode: null,
    });
    return {
      kind: 'received',
      deliveryId: id,
      status: done.status,
      summary: done.summary,
      conversionIds: done.conversionIds,
    };
  }

  /** A sample event signed with the stored secret as the platform signs it, verified and read; records no sale. */
  async function test(
    scope: WorkspaceScope,
    programId: string,
    platform: IntegrationPlatform,
  ): Promise<WebhookTestOutcome> {
    const program = await programOwner(db, programId);
    const secret = await integrations.webhookSecret(programId, platform);
    if (!program || !secret) return { kind: 'not_configured' };
    // Signed now: the platforms' replay protection is checked against the real time.
    const sample = await sampleDelivery(platform, secret, program.currency, new Date());
    const reading = await readDelivery(platform, programId, sample.body, sample.headers, secret);
    const actions = ('invalid' in reading || !reading.verified ? [] : reading.actions).filter(
      (a): a is RecordAction => a.kind === 'sale' || a.kind === 'refund',
    );
    const summary =
      'invalid' in reading
        ? `the test event could not be read: ${reading.invalid}`
        : reading.verified
          ? `the test event verified and would record: ${actions.map(describe).join('; ') || reading.ignored}`
          : `the test event did not verify: ${reading.refusal}`;
    const verified = !('invalid' in reading) && reading.verified;
    const deliveryId = await logDelivery(db, {
      workspaceId: scope.workspaceId,
      programId,
      platform,
      topic: 'invalid' in reading ? null : reading.topic,
      deliveryId: 'invalid' in reading ? null : reading.deliveryId,
      test: true,
      verified,
      refusal: 'invalid' in reading || reading.verified ? null : reading.refusal,
      outcome: 'tested',
      conversionId: null,
      summary,
      errorCode: null,
      body: sample.body,
      at: clock.now(),
    });
    return {
      kind: 'tested',
      verified,
      topic: 'invalid' in reading ? null : reading.topic,
      deliveryId,
      wouldRecord: actions,
      summary,
    };
  }

  /** The delivery log of a program and platform, newest first. */
  function deliveries(
    scope: WorkspaceScope,
    programId: string,
    platform: IntegrationPlatform,
    opts: { limit: number; before?: string | undefined },
  ) {
    return listDeliveries(db, scope.workspaceId, programId, platform, opts);
  }

  /** Deliveries that came while the program had no secret for the platform: only counted. */
  function unconfigured(programId: string, platform: IntegrationPlatform) {
    return unconfiguredCount(db, programId, platform);
  }

  return { receive, test, deliveries, unconfigured };
}

export type WebhooksService = ReturnType<typeof webhooksService>;
