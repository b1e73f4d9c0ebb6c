import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { availableParallelism } from 'node:os';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { ScryptParams } from '../accounts/password.js';
import { accountRoutes } from '../accounts/routes.js';
import { accountsService } from '../accounts/service.js';
import { VisitorHasher } from '../clicks/visitor.js';
import { ClickWriter } from '../clicks/writer.js';
import { codeRoutes } from '../codes/routes.js';
import { codesService } from '../codes/service.js';
import { commissionRoutes } from '../commissions/routes.js';
import { commissionsService } from '../commissions/service.js';
import type { Config } from '../config/config.js';
import { contentRoutes } from '../contents/routes.js';
import { contentsService } from '../contents/service.js';
import type { ConversionsPort } from '../conversions/contract.js';
import { conversionRoutes } from '../conversions/routes.js';
import { conversionsService } from '../conversions/service.js';
import { ConversionsThread } from '../conversions/thread.js';
import { Checkpointer, DEFAULT_CHECKPOINT_PAGES, WRITER_CHECKPOINT_PAGES } from '../db/checkpointer.js';
import type { DatabaseHandle } from '../db/database.js';
import { enrollmentRoutes } from '../enrollments/routes.js';
import { enrollmentsService } from '../enrollments/service.js';
import { fraudRoutes } from '../fraud/routes.js';
import { fraudService } from '../fraud/service.js';
import { healthRoutes } from '../health/routes.js';
import { integrationRoutes } from '../integrations/routes.js';
import { integrationsService } from '../integrations/service.js';
import { webhookRoutes } from '../integrations/webhooks.js';
import { LinkCache } from '../links/cache.js';
import { linkRoutes } from '../links/routes.js';
import { linksService } from '../links/service.js';
import { payoutServices } from '../payouts/index.js';
import { payoutItemRoutes } from '../payouts/payout-routes.js';
import { payoutRoutes } from '../payouts/routes.js';
import { runDuePayouts } from '../payouts/scheduled.js';
import type { StripeApi } from '../payouts/stripe-transfers.js';
import { productRoutes } from '../products/routes.js';
import { productsService } from '../products/service.js';
import { ProgramCache } from '../programs/cache.js';
import { programRoutes } from '../programs/routes.js';
import { programsService } from '../programs/service.js';
import { createRedirect, slugOfPath } from '../redirect/redirect.js';
import { clientAddress, countryResolver } from '../redirect/visitor-origin.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { snippetRoutes } from '../snippet/routes.js';
import { workspaceRoutes } from '../workspaces/routes.js';
import { membersService } from '../workspaces/service.js';
import { authPlugin } from './auth.js';
import { errorBody, errorHandler } from './errors.js';
import { securityHeaders } from './security-headers.js';

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  clock?: Clock;
  redis?: Redis | undefined;
  /** Password hashing cost; only tests lower it. */
  passwordParams?: ScryptParams;
  /** How often the server approves commissions whose holding period ended; 0 turns it off. */
  approveEveryMs?: number;
  /** A pino logger option: true/false or options; defaults to the configured level. */
  logger?: boolean | object;
  /**
   * On SQLite, record sales, leads and refunds on a thread of their own (`ConversionsThread`);
   * by default when there are at least two cores, the clock is the system's and the compiled
   * thread exists. `conversionsThreadScript` names the compiled thread, for tests run from sources.
   */
  conversionsThread?: boolean;
  conversionsThreadScript?: URL;
  /** Where Stripe Connect transfers are sent; Stripe's API unless a test points elsewhere. */
  stripeApi?: StripeApi;
  /** How often the server runs scheduled payouts that are due; 0 turns it off. */
  payoutScheduleEveryMs?: number;
}

export const API_VERSION = '0.1.0';

/** Builds the whole HTTP application without listening; `serve` listens, tests inject. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const clock = deps.clock ?? systemClock;
  const db = database.db;

  // Read first: a bad GeoIP file stops start-up before anything else is opened.
  const country = await countryResolver(config);
  let log: FastifyInstance['log'] | undefined;
  const links = new LinkCache(db, {
    publisher: deps.redis,
    onPublishError: (err) =>
      log?.warn({ err }, 'a link change could not be announced over Redis; other instances see it within 60 s'),
  });
  if (deps.redis) await links.subscribe(deps.redis);
  // What tracked sales read of their program (settings, products, enrollments), kept between sales.
  let conversionsThread: ConversionsThread | undefined;
  const programCache = new ProgramCache({
    // The conversions thread keeps its own copy, dropped with this one.
    onForget: (id) => conversionsThread?.forget(id),
    publisher: deps.redis,
    onPublishError: (err) =>
      log?.warn({ err }, 'a program change could not be announced over Redis; other instances see it within 30 s'),
  });
  if (deps.redis) await programCache.subscribe(deps.redis);
  const programChanged = (id: string) => programCache.invalidate(id);
  // On SQLite, the write-ahead log is checkpointed on a thread of its own (checkpointer.ts),
  // and while it runs the writing connections checkpoint themselves only rarely; they are told
  // once every one of them is open (below), and told again if the thread stops.
  let writer: ClickWriter | undefined;
  let checkpointGone: Error | undefined;
  const writersCheckpointAt = (pages: number) => {
    database.sqlite?.pragma(`wal_autocheckpoint = ${pages}`);
    writer?.checkpointAt(pages);
    conversionsThread?.checkpointAt(pages);
  };
  const checkpointer =
    database.sqlite && config.database.dialect === 'sqlite'
      ? await Checkpointer.start(config.database.file, {
          synchronous: config.database.synchronous,
          onGone: (err) => {
            checkpointGone = err;
            // Logged at once when the logger exists already, else once the app is built (below).
            log?.warn({ err }, 'the checkpoint thread stopped; SQLite checkpoints as by default');
            writersCheckpointAt(DEFAULT_CHECKPOINT_PAGES);
          },
        })
      : undefined;
  writer = await ClickWriter.open(db, {
    sqlite: database.sqlite,
    // A writer thread pays off only with a core to run on: on one or two cores, the commits
    // compete with the requests for the same CPU and the thread's hand-offs cost more than they
    // save (docs/decisions/0003-click-capture.md).
    workerFile: config.database.dialect === 'sqlite' && availableParallelism() >= 4 ? config.database.file : undefined,
    synchronous: config.database.dialect === 'sqlite' ? config.database.synchronous : undefined,
    // Only the durability check sets this, to widen the time a click spends uncommitted.
    slowCommitMs: Number(process.env.KUMPPANI_CHECK_SLOW_COMMIT_MS ?? 0) || 0,
  });
  let redirect: ReturnType<typeof createRedirect> | undefined;

  const app = Fastify({
    // Link redirects are the hot path: a request for a slug goes straight to the redirect, which
    // sets its own headers; every other request goes through Fastify's routing, hooks and schemas.
    serverFactory: (handler) =>
      createServer((req: IncomingMessage, res: ServerResponse) => {
        const slug = redirect && (req.method === 'GET' || req.method === 'HEAD') ? slugOfPath(req.url) : undefined;
        if (slug !== undefined && redirect) redirect(req, res, slug);
        else handler(req, res);
      }),
    logger: deps.logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (config.trustProxy as number)
        : config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : newId('request');
    },
    requestIdHeader: false,
    ajv: undefined,
    routerOptions: { ignoreTrailingSlash: true },
    // Every route validates and serialises with zod: Fastify need not load its JSON-schema compilers.
    schemaController: {
      // The factories' types expect Ajv-shaped compilers; the zod ones take the same call.
      compilersFactory: {
        buildValidator: () => validatorCompiler as never,
        buildSerializer: () => serializerCompiler as never,
      },
    },
  }).withTypeProvider<ZodTypeProvider>();

  log = app.log;
  if (checkpointGone)
    log.warn({ err: checkpointGone }, 'the checkpoint thread stopped; SQLite checkpoints as by default');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err, request, reply) => errorHandler(err, request as never, reply as never));
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(
        errorBody('ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`, String(request.id)),
      ),
  );
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });

  const security = securityHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-site' },
    strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
  });
  // Set before any handler runs, so a route with its own policy (the API reference page) replaces it.
  app.addHook('onRequest', (_request, reply, done) => {
    const raw = reply.raw;
    for (const [name, value] of security) raw.setHeader(name, value);
    done();
  });

  await app.register(rateLimit, {
    global: false,
    ...(deps.redis ? { redis: deps.redis, nameSpace: 'kumppani:ratelimit:' } : {}),
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s`),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kumppani API',
        version: API_VERSION,
        description:
          'The HTTP API of Kumppani, the self-hostable affiliate and creator-partnership platform. ' +
          'Amounts are integers in minor units of their currency; rates are basis points.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key (kpk_…) or a session token (kps_…)' },
        },
      },
      security: [{ bearerAuth: [] }],
    },
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const config = input.route.config as { access?: string; resource?: string } | undefined;
      const schema = out.schema as Record<string, unknown>;
      return {
        ...out,
        schema: {
          ...schema,
          'x-kumppani-access': config?.access ?? 'any',
          ...(config?.resource ? { 'x-kumppani-resource': config.resource } : {}),
        },
      } as typeof out;
    },
    transformObject: jsonSchemaTransformObject,
  });

  const accounts = accountsService({ db, secret: config.secret, clock, passwordParams: deps.passwordParams });
  const programs = programsService({
    db,
    clock,
    onChange: async (id) => {
      await programChanged(id);
      await links.invalidateProgram(id);
    },
  });
  const linkService = linksService({ db, clock, cache: links, publicUrl: config.publicUrl });
  const products = productsService({ db, clock, programs, onChange: programChanged });
  const enrollments = enrollmentsService({ db, clock, onChange: programChanged });
  const members = membersService({ db, clock });
  // The one way in for sales, leads and refunds: the track API and every shop integration.
  const conversions = conversionsService({
    db,
    clock,
    secret: config.secret,
    dialect: database.dialect,
    programCache,
  });
  const commissions = commissionsService({ db, clock });
  // The thread reads the system's clock: a server given another clock (tests) records in process.
  const threadSetting = config.conversionsThread ?? 'auto';
  const threadWanted =
    clock === systemClock &&
    (deps.conversionsThread ?? (threadSetting === 'auto' ? availableParallelism() >= 2 : threadSetting === 'on'));
  if (threadWanted && config.database.dialect === 'sqlite' && config.database.file !== ':memory:') {
    conversionsThread = await ConversionsThread.start({
      file: config.database.file,
      secret: config.secret,
      synchronous: config.database.synchronous,
      fallback: conversions,
      ...(deps.conversionsThreadScript ? { script: deps.conversionsThreadScript } : {}),
      onStopped: (err) => log?.error({ err }, 'the conversions thread stopped; deliveries are recorded in process'),
    })
      .then((thread) => {
        if (thread) log?.info('sales, leads and refunds are recorded on their own thread');
        return thread;
      })
      .catch((err: unknown) => {
        log?.warn({ err }, 'the conversions thread could not start; deliveries are recorded in process');
        return undefined;
      });
  }
  const recorder: ConversionsPort = conversionsThread ?? conversions;
  // Every writing connection is open: each is told the threshold once, in the order of its
  // messages, so before any batch it is given.
  if (checkpointer && !checkpointGone) writersCheckpointAt(WRITER_CHECKPOINT_PAGES);
  app.decorate('conversionsThread', conversionsThread ?? null);

  await app.register(authPlugin, { accounts, db });

  // The reference page and its bundled assets are public and need no network (no CDN).
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), access: 'public' };
    });
    await docs.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: true,
      // No request may leave the instance: no validator badge, no CDN.
      transformStaticCSP: (header) => header.replace(' validator.swagger.io', ''),
      uiConfig: { docExpansion: 'list', deepLinking: true, validatorUrl: null },
      theme: { title: 'Kumppani API reference' },
    });
  });
  await app.register(healthRoutes, { db });
  await app.register(snippetRoutes, {
    // Kept with the program's other settings, and dropped with them when the program changes;
    // an unknown id is kept too (as null), so that a stream of made-up ids does not reach the
    // database on every request. The cache holds a bounded number of programs.
    windowOf: async (programId) =>
      (await programCache.get(programId, 'snippet:window', async () => {
        const row = await db
          .selectFrom('programs')
          .select('attribution_window_days')
          .where('id', '=', programId)
          .where('status', '=', 'active')
          .executeTakeFirst();
        return row?.attribution_window_days ?? null;
      })) ?? undefined,
  });
  await app.register(accountRoutes, { accounts, db, config });
  await app.register(programRoutes, { programs });
  await app.register(productRoutes, { products });
  await app.register(enrollmentRoutes, { enrollments });
  await app.register(workspaceRoutes, { members, db });
  await app.register(linkRoutes, { links: linkService, db });
  await app.register(contentRoutes, { contents: contentsService({ db, clock }) });
  await app.register(codeRoutes, { codes: codesService({ db, clock, programs, onChange: programChanged }) });
  await app.register(conversionRoutes, { conversions: recorder, db });
  await app.register(commissionRoutes, { commissions });
  await app.register(fraudRoutes, { fraud: fraudService({ db, clock, onChange: programChanged }) });
  const integrations = integrationsService({ db, clock, programs, instanceSecret: config.secret });
  await app.register(integrationRoutes, { integrations });
  await app.register(webhookRoutes, { db, clock, integrations, conversions: recorder });
  const payouts = payoutServices({
    db,
    clock,
    secret: config.secret,
    dialect: database.dialect,
    stripeApi: deps.stripeApi,
  });
  await app.register(payoutRoutes, payouts);
  await app.register(payoutItemRoutes, payouts);

  redirect = createRedirect({
    cache: links,
    writer,
    hasher: new VisitorHasher(db),
    clock,
    clientAddress: clientAddress(config.trustProxy),
    country,
    log: app.log,
  });
  const redirectRoute = redirect;
  // The same redirect behind Fastify's router, for requests that do not come through the server
  // above (app.inject in tests); reserved paths fall through to the JSON 404.
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const slug = slugOfPath(request.raw.url);
    if (slug === undefined) return reply.callNotFound();
    reply.hijack();
    redirectRoute(request.raw, reply.raw, slug);
  });
  // Pending commissions become approved once their holding period ends. Every instance may run
  // this: the update is conditional, so each commission is approved once.
  const approveEvery = deps.approveEveryMs ?? 60_000;
  let approving: Promise<unknown> | undefined;
  const approvals =
    approveEvery > 0
      ? setInterval(() => {
          if (approving) return;
          approving = commissions
            .approveDue()
            .then((n) => {
              if (n > 0) app.log.info({ approved: n }, 'commissions approved after their holding period');
            })
            .catch((err: unknown) => app.log.error({ err }, 'approving due commissions failed'))
            .finally(() => {
              approving = undefined;
            });
        }, approveEvery)
      : undefined;
  approvals?.unref();
  // Weekly and monthly payout runs, once their moment has passed; each is claimed before it runs,
  // so several instances run it once.
  const payoutEvery = deps.payoutScheduleEveryMs ?? 60_000;
  let paying: Promise<unknown> | undefined;
  const payoutSchedule =
    payoutEvery > 0
      ? setInterval(() => {
          if (paying) return;
          paying = runDuePayouts({ db, clock, runs: payouts.runs })
            .then((outcomes) => {
              for (const o of outcomes) {
                if (o.error) app.log.error({ programId: o.programId, error: o.error }, 'a scheduled payout run failed');
                else app.log.info(o, 'scheduled payout run');
              }
            })
            .catch((err: unknown) => app.log.error({ err }, 'scheduled payout runs failed'))
            .finally(() => {
              paying = undefined;
            });
        }, payoutEvery)
      : undefined;
  payoutSchedule?.unref();
  app.addHook('onClose', async () => {
    if (approvals) clearInterval(approvals);
    if (payoutSchedule) clearInterval(payoutSchedule);
    await approving;
    await paying;
    await writer.close();
    await conversionsThread?.stop();
    await checkpointer?.stop();
    await links.close();
    await programCache.close();
  });

  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  return app as unknown as FastifyInstance;
}
