import type { FastifyInstance } from 'fastify';
import { recoveryRoutes } from '../accounts/recovery-routes.js';
import { accountRoutes } from '../accounts/routes.js';
import { analyticsRoutes } from '../analytics/routes.js';
import { bioRoutes } from '../bio/routes.js';
import { breakEvenRoutes } from '../calculators/break-even-routes.js';
import { calculatorRoutes } from '../calculators/routes.js';
import { codeRoutes } from '../codes/routes.js';
import { commissionRoutes } from '../commissions/routes.js';
import type { Config } from '../config/config.js';
import { contentRoutes } from '../contents/routes.js';
import type { ConversionsPort } from '../conversions/contract.js';
import { conversionListRoutes } from '../conversions/list.js';
import { conversionRoutes } from '../conversions/routes.js';
import type { Db } from '../db/database.js';
import { domainRoutes } from '../domains/routes.js';
import { enrollmentRoutes } from '../enrollments/routes.js';
import { exchangeRateRoutes } from '../exchange-rates/routes.js';
import { fraudRoutes } from '../fraud/routes.js';
import { healthRoutes } from '../health/routes.js';
import { integrationRoutes } from '../integrations/routes.js';
import { webhookRoutes } from '../integrations/webhooks.js';
import { webhooksService } from '../integrations/webhooks-service.js';
import { invoiceRoutes } from '../invoices/routes.js';
import { invoicesService } from '../invoices/service.js';
import { linkRoutes } from '../links/routes.js';
import { mailRoutes } from '../mail/routes.js';
import { networkFeeRoutes } from '../network-fees/routes.js';
import { payoutItemRoutes } from '../payouts/payout-routes.js';
import { payoutRoutes } from '../payouts/routes.js';
import { productRoutes } from '../products/routes.js';
import type { ProgramCache } from '../programs/cache.js';
import { activeAttributionWindow } from '../programs/repository.js';
import { programRoutes } from '../programs/routes.js';
import type { Clock } from '../shared/clock.js';
import { snippetRoutes } from '../snippet/routes.js';
import { statementRoutes } from '../statements/routes.js';
import { workspaceRoutes } from '../workspaces/routes.js';
import { toDoRoutes } from '../workspaces/to-do.js';
import type { Services } from './services.js';
import { webAppRoutes } from './web-app.js';

export interface RouteDeps {
  config: Config;
  db: Db;
  clock: Clock;
  services: Services;
  programCache: ProgramCache;
  /** Records sales, leads and refunds: the conversions thread when it runs, else the service. */
  recorder: ConversionsPort;
}

/** Every domain's routes, in the order they are registered. */
export async function registerRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { config, db, clock, services, programCache, recorder } = deps;
  await app.register(healthRoutes, { db });
  await webAppRoutes(app);
  await app.register(snippetRoutes, {
    // Kept with the program's other settings, and dropped with them when the program changes;
    // an unknown id is kept too (as null), so that a stream of made-up ids does not reach the
    // database on every request. The cache holds a bounded number of programs.
    windowOf: async (programId) =>
      (await programCache.get(
        programId,
        'snippet:window',
        async () => (await activeAttributionWindow(db, programId)) ?? null,
      )) ?? undefined,
  });
  await app.register(accountRoutes, {
    accounts: services.accounts,
    db,
    config,
    onSignedUp: (userId) => services.recovery.sendVerification(userId),
    onSignupAttempt: (userId) => services.recovery.tellOfSignupAttempt(userId),
  });
  await app.register(recoveryRoutes, { recovery: services.recovery, config });
  await app.register(mailRoutes, { mail: services.mail, db });
  await app.register(programRoutes, { programs: services.programs });
  await app.register(productRoutes, { products: services.products });
  await app.register(enrollmentRoutes, { enrollments: services.enrollments });
  await app.register(workspaceRoutes, { members: services.members, db });
  await app.register(toDoRoutes, { db });
  await app.register(linkRoutes, { links: services.links, db });
  await app.register(bioRoutes, { bio: services.bio });
  await app.register(domainRoutes, { domains: services.domains });
  await app.register(contentRoutes, { contents: services.contents });
  await app.register(codeRoutes, { codes: services.codes });
  await app.register(conversionRoutes, { conversions: recorder, db });
  await app.register(exchangeRateRoutes, { exchangeRates: services.exchangeRates });
  await app.register(conversionListRoutes, { db });
  await app.register(commissionRoutes, { commissions: services.commissions });
  await app.register(analyticsRoutes, {
    analytics: services.analytics,
    leaderboard: services.leaderboard,
  });
  await app.register(calculatorRoutes, { paidAds: services.paidAds });
  await app.register(fraudRoutes, { fraud: services.fraud });
  await app.register(integrationRoutes, { integrations: services.integrations });
  await app.register(webhookRoutes, {
    webhooks: webhooksService({ db, clock, integrations: services.integrations, conversions: recorder }),
    rateLimit: config.webhookRateLimit,
  });
  await app.register(payoutRoutes, services.payouts);
  await app.register(payoutItemRoutes, services.payouts);
  await app.register(breakEvenRoutes);
  await app.register(networkFeeRoutes, { fees: services.networkFees, clock });
  await app.register(statementRoutes, { db });
  await app.register(invoiceRoutes, { invoices: invoicesService({ db, clock }) });
}
