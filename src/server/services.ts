import type { FastifyBaseLogger } from 'fastify';
import type { ScryptParams } from '../accounts/password.js';
import { recoveryService } from '../accounts/recovery.js';
import { accountsService } from '../accounts/service.js';
import { leaderboards } from '../analytics/leaderboards.js';
import { analyticsService } from '../analytics/service.js';
import { bioService } from '../bio/service.js';
import { paidAdsService } from '../calculators/paid-ads-service.js';
import { codesService } from '../codes/service.js';
import { commissionsService } from '../commissions/service.js';
import { type Config, domainProofRequired, isLoopbackUrl } from '../config/config.js';
import { contentsService } from '../contents/service.js';
import { conversionsService } from '../conversions/service.js';
import type { DatabaseHandle } from '../db/database.js';
import { type DomainProbeOptions, domainProbe } from '../domains/proof.js';
import { domainsService } from '../domains/service.js';
import { enrollmentsService } from '../enrollments/service.js';
import { exchangeRatesService } from '../exchange-rates/service.js';
import { fraudService } from '../fraud/service.js';
import { integrationsService } from '../integrations/service.js';
import type { LinkCache } from '../links/cache.js';
import { linksService } from '../links/service.js';
import { invitationNotice, moneyNotices } from '../mail/notices.js';
import { mailService } from '../mail/service.js';
import { smtpTransport } from '../mail/transport.js';
import { networkFeesService } from '../network-fees/service.js';
import { payoutServices } from '../payouts/index.js';
import type { StripeApi } from '../payouts/stripe-transfers.js';
import { productsService } from '../products/service.js';
import type { ProgramCache } from '../programs/cache.js';
import { programsService } from '../programs/service.js';
import type { Clock } from '../shared/clock.js';
import { membersService } from '../workspaces/service.js';

export interface ServiceDeps {
  /** Where domain proofs are looked up; by default the domain itself and the system's DNS. */
  domainProbe?: DomainProbeOptions | undefined;
  config: Config;
  database: DatabaseHandle;
  clock: Clock;
  links: LinkCache;
  programCache: ProgramCache;
  passwordParams?: ScryptParams | undefined;
  /** Where Stripe Connect transfers go; Stripe's API unless a test points elsewhere. */
  stripeApi?: StripeApi | undefined;
  log?: FastifyBaseLogger | undefined;
}

/**
 * Every domain's service, each given the database, the clock and the services and caches it
 * needs. A change to a program drops what the caches keep of it, here and, over Redis, on every
 * other instance.
 */
export function buildServices({
  config,
  database,
  clock,
  links,
  programCache,
  passwordParams,
  log,
  domainProbe: probeOptions,
  stripeApi,
}: ServiceDeps) {
  const db = database.db;
  // Email over SMTP when configured, else kept in the operator's outbox.
  const mail = mailService({
    db,
    clock,
    transport: config.mail?.smtpUrl ? smtpTransport(config.mail.smtpUrl) : undefined,
    from: config.mail?.from ?? 'Kumppani <no-reply@localhost>',
    log,
  });
  const programChanged = (id: string) => programCache.invalidate(id);
  const accounts = accountsService({
    db,
    secret: config.secret,
    clock,
    passwordParams,
    brandSignup: config.brandSignup,
    // Where the world can reach the instance, signup does not tell which addresses have accounts.
    confirmSignup: !isLoopbackUrl(config.publicUrl),
  });
  const proofRequired = domainProofRequired(config);
  const domains = domainsService({
    db,
    clock,
    probe: domainProbe(probeOptions),
    required: proofRequired,
    onVerified: () => links.invalidateAll(),
  });
  const programs = programsService({
    db,
    clock,
    onChange: async (id) => {
      await programChanged(id);
      await links.invalidateProgram(id);
    },
  });
  const analytics = analyticsService({ db, clock });
  const notices = moneyNotices(mail, config.publicUrl);
  return {
    accounts,
    programs,
    analytics,
    paidAds: paidAdsService({ db, clock, analytics }),
    leaderboard: leaderboards({ db, clock }),
    domains,
    links: linksService({
      db,
      clock,
      cache: links,
      publicUrl: config.publicUrl,
      domains: proofRequired ? domains : undefined,
    }),
    products: productsService({ db, clock, programs, onChange: programChanged }),
    enrollments: enrollmentsService({
      db,
      clock,
      onChange: programChanged,
      onInvited: invitationNotice(mail, config.publicUrl),
      afterInvited: () => mail.kick(),
    }),
    members: membersService({ db, clock }),
    // The one way in for sales, leads and refunds: the track API and every shop integration.
    conversions: conversionsService({ db, clock, secret: config.secret, dialect: database.dialect, programCache }),
    commissions: commissionsService({ db, clock }),
    exchangeRates: exchangeRatesService({ db, clock }),
    contents: contentsService({ db, clock }),
    codes: codesService({ db, clock, programs, onChange: programChanged }),
    fraud: fraudService({ db, clock, onChange: programChanged }),
    integrations: integrationsService({ db, clock, programs, instanceSecret: config.secret }),
    mail,
    moneyNotices: notices,
    recovery: recoveryService({ db, secret: config.secret, clock, mail, publicUrl: config.publicUrl, passwordParams }),
    networkFees: networkFeesService({ db, clock }),
    bio: bioService({ db, clock, publicUrl: config.publicUrl }),
    payouts: payoutServices({ db, clock, secret: config.secret, dialect: database.dialect, stripeApi, notices }),
  };
}

export type Services = ReturnType<typeof buildServices>;
