import type { Db, Dialect } from '../db/database.js';
import type { MoneyNotices } from '../mail/notices.js';
import type { Clock } from '../shared/clock.js';
import { payoutExportsService } from './exports.js';
import { payoutLifecycleService } from './lifecycle.js';
import { payoutProfilesService } from './profiles.js';
import { payoutReadsService } from './reads.js';
import { payoutRunsService } from './runs.js';
import { payoutSettingsService } from './settings.js';
import { type StripeApi, type StripeTransfers, stripeTransfers } from './stripe-transfers.js';

/** Every payout service, wired once for the server and the command line. */
export function payoutServices(deps: {
  db: Db;
  clock: Clock;
  secret: string;
  dialect: Dialect;
  /** The programs whose run is under way on this instance (tests playing several instances). */
  running?: Set<string>;
  stripe?: StripeTransfers | undefined;
  stripeApi?: StripeApi | undefined;
  /** The money notices: payout sent or failed, details missing (none when left out). */
  notices?: MoneyNotices | undefined;
}) {
  const { db, clock, secret } = deps;
  const runs = payoutRunsService({
    db,
    clock,
    dialect: deps.dialect,
    ...(deps.running ? { running: deps.running } : {}),
    ...(deps.notices ? { notices: deps.notices } : {}),
  });
  return {
    profiles: payoutProfilesService({ db, clock, secret }),
    settings: payoutSettingsService({ db, clock, secret }),
    runs,
    reads: payoutReadsService({ db, clock }),
    exports: payoutExportsService({ db, clock, secret }),
    lifecycle: payoutLifecycleService({
      db,
      clock,
      secret,
      stripe: deps.stripe ?? stripeTransfers(deps.stripeApi),
      ...(deps.notices ? { notices: deps.notices } : {}),
    }),
  };
}

export type PayoutServicesBundle = ReturnType<typeof payoutServices>;
