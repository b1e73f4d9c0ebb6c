import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * What the fraud checks are told of a sale once it is attributed, inside the sale's own
 * transaction. The checks may read clicks, codes and their own history, and record what they
 * need (a code's uses) in the same transaction.
 */
export interface SaleFacts {
  workspaceId: string;
  programId: string;
  conversionId: string;
  orderId: string;
  occurredAt: string;
  creatorId: string;
  attribution: 'code' | 'click' | 'customer';
  /** The code that attributed the sale, or a code of the same creator entered at checkout. */
  codeId: string | null;
  /** The click that attributed the sale, or the click the order carried. */
  clickId: string | null;
  /** The customer's id within the program (cus_…), when known. */
  customerId: string | null;
  /** The buyer's email, lowercased, when given. */
  customerEmail: string | null;
  /** True when the program had never seen this customer before this sale. */
  isNewCustomer: boolean;
  /** Where the buyer came from, when the platform told (a URL or host). */
  referrer: string | null;
  /** The sale's net amount in the program currency. */
  amount: number;
}

export type HoldReason = 'self_referral' | 'click_spam' | 'coupon_site_referrer' | 'possible_leaked_code';

/** A reason to hold a commission for review, with a sentence a brand manager can act on. */
export interface Hold {
  reason: HoldReason;
  detail: string;
}

/**
 * The holds a sale's commissions get (none for a normal sale). Placeholder until the fraud
 * checks land: it holds nothing.
 */
export async function checkSale(_db: Kysely<Database>, _facts: SaleFacts, _now: Date): Promise<Hold[]> {
  return [];
}
