import type { Migration } from 'kysely';
import * as foundation from './0001-foundation.js';
import * as linksAndClicks from './0002-links-and-clicks.js';
import * as codes from './0003-codes.js';
import * as integrations from './0004-integrations.js';
import * as conversions from './0005-conversions.js';
import * as webhookDeliveries from './0006-webhook-deliveries.js';
import * as fraud from './0007-fraud.js';
import * as partialIndexes from './0008-partial-indexes.js';
import * as saleIndexes from './0009-sale-indexes.js';
import * as clusteredLines from './0010-clustered-lines.js';
import * as rowidClicks from './0011-rowid-clicks.js';
import * as domainProof from './0012-domain-proof.js';
import * as stripeRefunds from './0012b-stripe-refunds.js';
import * as saleGross from './0012c-sale-gross.js';
import * as payouts from './0013-payouts.js';
import * as mail from './0014-mail.js';
import * as networkFees from './0014b-network-fees.js';
import * as analytics from './0015-analytics.js';
import * as bioPages from './0016-bio-pages.js';
import * as selfBilling from './0017-self-billing.js';
import * as testOrders from './0018-test-orders.js';
import * as signupConfirmation from './0018b-signup-confirmation.js';
import * as programStats from './0019-program-stats.js';
import * as creatorEarnings from './0020-creator-earnings.js';
import * as orderUpdatedAt from './0021-order-updated-at.js';
import * as payoutVat from './0022-payout-vat.js';
import * as creditNotes from './0023-credit-notes.js';
import * as viewStats from './0024-view-stats.js';

/** Every migration, in order. One set runs on both SQLite and PostgreSQL. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-links-and-clicks': linksAndClicks,
  '0003-codes': codes,
  '0004-integrations': integrations,
  '0005-conversions': conversions,
  '0006-webhook-deliveries': webhookDeliveries,
  '0007-fraud': fraud,
  '0008-partial-indexes': partialIndexes,
  '0009-sale-indexes': saleIndexes,
  '0010-clustered-lines': clusteredLines,
  '0011-rowid-clicks': rowidClicks,
  '0012-domain-proof': domainProof,
  '0012b-stripe-refunds': stripeRefunds,
  '0012c-sale-gross': saleGross,
  '0013-payouts': payouts,
  '0014-mail': mail,
  '0014b-network-fees': networkFees,
  '0015-analytics': analytics,
  '0016-bio-pages': bioPages,
  '0017-self-billing': selfBilling,
  '0018-test-orders': testOrders,
  '0018b-signup-confirmation': signupConfirmation,
  '0019-program-stats': programStats,
  '0020-creator-earnings': creatorEarnings,
  '0021-order-updated-at': orderUpdatedAt,
  '0022-payout-vat': payoutVat,
  '0023-credit-notes': creditNotes,
  '0024-view-stats': viewStats,
};
