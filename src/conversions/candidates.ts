/**
 * The attribution candidates of a sale or a lead (a code typed at checkout, a click, a returning
 * customer), each with whether its creator is approved in the program, looked up in a handful of
 * indexed queries.
 */

import type { ClickCandidate, CodeCandidate, CustomerCandidate } from '../attribution/attribute.js';
import { codeForAttribution, codeOfKey } from '../codes/repository.js';
import type { DbOrTx } from '../db/database.js';
import type { Program, Rate } from '../programs/schemas.js';
import { type ConversionsContext, enrollmentsOf, kept } from './context.js';
import { clickForAttribution, type EnrollmentRow } from './lookups.js';
import { type CustomerRow, firstSaleOfSubscription } from './repository.js';

export type CodeFound = CodeCandidate & { discount: Rate };
export type ClickFound = ClickCandidate & { slug: string | null; visitorHash: string; country: string };

export interface Candidates {
  code: CodeFound | null;
  click: ClickFound | null;
  customer: CustomerCandidate | null;
  /** The candidates' creators' enrollments in the program (at most three). */
  enrollments: EnrollmentRow[];
}

/** The first code typed that is an active code of the program. */
async function codeOf(ctx: ConversionsContext, tx: DbOrTx, program: Program, at: Date, typed: string[]) {
  for (const text of typed) {
    if (!text.trim()) continue;
    const found = await codeForAttribution(tx, program.id, text, at, (key) =>
      kept(ctx, program.id, `code:${key}`, async () => (await codeOfKey(tx, program.id, key)) ?? null),
    );
    if (found && found.status === 'active') {
      return {
        codeId: found.id,
        code: found.code,
        creatorId: found.creatorId,
        creatorApproved: false,
        discount: found.discount,
      };
    }
  }
  return null;
}

async function clickOf(tx: DbOrTx, program: Program, clickId: string | null | undefined): Promise<ClickFound | null> {
  if (!clickId) return null;
  const row = await clickForAttribution.first(tx, { clickId, programId: program.id });
  if (!row) return null;
  return {
    clickId: row.id,
    at: row.at,
    linkId: row.link_id,
    creatorId: row.creator_id,
    isBot: row.is_bot === 1,
    creatorApproved: false,
    slug: row.slug,
    visitorHash: row.visitor_hash,
    country: row.country,
  };
}

/** The creator who first won the subscription, else the customer. */
async function returningOf(
  tx: DbOrTx,
  program: Program,
  subscriptionId: string | null | undefined,
  customer: CustomerRow | undefined,
): Promise<CustomerCandidate | null> {
  if (subscriptionId) {
    const first = await firstSaleOfSubscription(tx, program.id, subscriptionId);
    if (first?.creator_id) {
      return {
        customerId: customer?.id ?? first.id,
        creatorId: first.creator_id,
        wonAt: first.occurred_at,
        creatorApproved: false,
        via: 'subscription',
      };
    }
  }
  if (customer?.creator_id && customer.won_at) {
    return {
      customerId: customer.id,
      creatorId: customer.creator_id,
      wonAt: customer.won_at,
      creatorApproved: false,
      via: 'customer',
    };
  }
  return null;
}

export async function candidates(
  ctx: ConversionsContext,
  tx: DbOrTx,
  program: Program,
  at: Date,
  input: { couponCodes?: string[] | undefined; clickId?: string | null | undefined; subscriptionId?: string | null },
  customer: CustomerRow | undefined,
): Promise<Candidates> {
  const code = await codeOf(ctx, tx, program, at, input.couponCodes ?? []);
  const click = await clickOf(tx, program, input.clickId);
  const returning = await returningOf(tx, program, input.subscriptionId, customer);
  const creatorIds = [
    ...new Set([code?.creatorId, click?.creatorId, returning?.creatorId].filter((c) => !!c)),
  ] as string[];
  // At most three: by code, by click, returning.
  const enrollments = [...(await enrollmentsOf(ctx, tx, program.id, creatorIds)).values()].filter(
    (e): e is EnrollmentRow => e !== null,
  );
  const approved = new Set(enrollments.filter((e) => e.status === 'approved').map((e) => e.creator_id));
  if (code) code.creatorApproved = approved.has(code.creatorId);
  if (click) click.creatorApproved = approved.has(click.creatorId);
  if (returning) returning.creatorApproved = approved.has(returning.creatorId);
  return { code, click, customer: returning, enrollments };
}
