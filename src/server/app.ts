import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { ScryptParams } from '../accounts/password.js';
import type { Config } from '../config/config.js';
import type { ConversionsPort } from '../conversions/contract.js';
import type { DatabaseHandle } from '../db/database.js';
import type { DomainProbeOptions } from '../domains/proof.js';
import { authPlugin } from '../http/auth.js';
import { runDuePayouts } from '../payouts/scheduled.js';
import type { StripeApi } from '../payouts/stripe-transfers.js';
import type { Redirect } from '../redirect/redirect.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { startApprovals, startPayoutSchedule } from './approvals.js';
import { startConversionsThread } from './conversions-thread.js';
import { startDestinationWatch } from './destination-watch.js';
import { createFastify } from './fastify.js';
import { Infrastructure } from './infrastructure.js';
import { startMoneyRound } from './money-round.js';
import { registerReference, serveOpenApiDocument } from './openapi.js';
import { ownershipChecks } from './ownership.js';
import { mountRedirect } from './redirect.js';
import { registerRoutes } from './routes.js';
import { buildServices } from './services.js';

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  clock?: Clock;
  redis?: Redis | undefined;
  /** Password hashing cost; only tests lower it. */
  passwordParams?: ScryptParams;
  /** How often the server approves commissions whose holding period ended; 0 turns it off. */
  approveEveryMs?: number;
  /**
   * How often the server charges due monthly network fees, retries emails and tells creators of
   * approved commissions; 0 turns it off.
   */
  mailEveryMs?: number;
  /**
   * How often the server looks for bio links whose destination was not checked in the last day
   * (each is checked at most daily); 0, the default, turns the watch off. `serve` runs it hourly.
   */
  destinationWatchEveryMs?: number;
  /** The HTTP client of the destination watch; tests point it at a local server. */
  destinationWatchFetch?: typeof fetch;
  /** A pino logger option: true/false or options; defaults to the configured level. */
  logger?: boolean | object;
  /**
   * On SQLite, record sales, leads and refunds on a thread of their own (`ConversionsThread`);
   * by default when there are at least two cores, the clock is the system's and the compiled
   * thread exists. `conversionsThreadScript` names the compiled thread, for tests run from sources.
   */
  conversionsThread?: boolean;
  conversionsThreadScript?: URL;
  /** Where Stripe Connect transfers go; Stripe's API unless a test points elsewhere. */
  stripeApi?: StripeApi;
  /** How often the server runs the scheduled payout runs that are due; 0 turns it off. */
  payoutScheduleEveryMs?: number;
  /** Where domain proofs are looked up; by default the domain itself and the system's DNS. */
  domainProbe?: DomainProbeOptions;
}

/**
 * Builds the whole HTTP application without listening; `serve` listens, tests inject. In order:
 * the infrastructure (GeoIP, caches, threads), the HTTP application, the services, the
 * conversions thread, authentication, the routes, the link redirect, the approval job and the
 * money round (monthly network fees, email delivery and notices); closing
 * the application stops them in turn. The checkpoint and conversions threads load their code
 * while the services and routes are built, and are waited for before the application is
 * returned.
 */
/** A port that records through whichever port `current` names when a delivery arrives. */
function boundPort(current: () => ConversionsPort | undefined): ConversionsPort {
  const to = () => {
    const port = current();
    if (!port) throw new Error('conversions are not taken before the application is built');
    return port;
  };
  return {
    recordSale: (scope, input, options) => to().recordSale(scope, input, options),
    recordLead: (scope, input, options) => to().recordLead(scope, input, options),
    recordRefund: (scope, input, options) => to().recordRefund(scope, input, options),
  };
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const clock = deps.clock ?? systemClock;
  const db = database.db;

  let app: FastifyInstance | undefined;
  const log = () => app?.log;
  const infrastructure = await Infrastructure.open({ config, database, redis: deps.redis, log });
  let redirect: Redirect | undefined;
  app = await createFastify({ config, redis: deps.redis, logger: deps.logger, redirect: () => redirect });
  infrastructure.logReady(app.log);

  // The conversions thread loads while the application is built: its fallback (the in-process
  // service, for when the thread stops) and the routes' recorder are bound once both exist.
  let inProcess: ConversionsPort | undefined;
  const threadStarting = startConversionsThread({
    config,
    clock,
    fallback: boundPort(() => inProcess),
    log,
    wanted: deps.conversionsThread,
    script: deps.conversionsThreadScript,
  });
  threadStarting.catch(() => undefined);

  const services = buildServices({
    config,
    database,
    clock,
    links: infrastructure.links,
    programCache: infrastructure.programs,
    passwordParams: deps.passwordParams,
    stripeApi: deps.stripeApi,
    log: app.log,
    domainProbe: deps.domainProbe,
  });
  inProcess = services.conversions;
  let recording: ConversionsPort = services.conversions;
  const recorder = boundPort(() => recording);
  app.decorate('mail', services.mail);
  app.decorate('moneyNotices', services.moneyNotices);

  await app.register(authPlugin, { authenticate: services.accounts.authenticate, ownership: ownershipChecks(db) });
  await registerReference(app);
  await registerRoutes(app, { config, db, clock, services, programCache: infrastructure.programs, recorder });
  redirect = mountRedirect(app, { config, db, clock, infrastructure });

  infrastructure.conversionsThread = await threadStarting;
  await infrastructure.ready();
  if (infrastructure.conversionsThread) recording = infrastructure.conversionsThread;
  infrastructure.writersOpen(database);
  app.decorate('conversionsThread', infrastructure.conversionsThread ?? null);

  const approvals = startApprovals(() => services.commissions.approveDue(), deps.approveEveryMs ?? 60_000, app.log);
  const moneyRound = startMoneyRound({ db, clock, services, everyMs: deps.mailEveryMs ?? 30_000, log: app.log });
  const watch = startDestinationWatch({
    db,
    clock,
    publicUrl: config.publicUrl,
    everyMs: deps.destinationWatchEveryMs ?? 0,
    fetch: deps.destinationWatchFetch,
    log: app.log,
  });
  const payoutSchedule = startPayoutSchedule(
    () => runDuePayouts({ db, clock, runs: services.payouts.runs }),
    deps.payoutScheduleEveryMs ?? 60_000,
    app.log,
  );
  app.addHook('onClose', async () => {
    await approvals.stop();
    await moneyRound.stop();
    await watch.stop();
    await payoutSchedule.stop();
    await infrastructure.close();
  });
  serveOpenApiDocument(app);
  return app;
}
