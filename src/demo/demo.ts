import { hashPassword } from '../accounts/password.js';
import * as accountsRepo from '../accounts/repository.js';
import { accountsService } from '../accounts/service.js';
import { insertCreator, insertSocialAccount, type Platform } from '../creators/repository.js';
import type { Db } from '../db/database.js';
import { productsService } from '../products/service.js';
import { programsService } from '../programs/service.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import { trustedScope } from '../shared/principal.js';
import { DAY_MS } from '../shared/time.js';
import { loadDemoCodes } from './codes.js';
import { type DemoCreatorRef, type DemoProgramRef, enrollDemoCreators } from './enrollments.js';
import { loadDemoPayouts, type PayoutsSummary } from './payouts.js';
import { type Random, seededRandom } from './random.js';
import { bioSlugOf } from './repository.js';
import { loadDemoSales, type SalesSummary } from './sales.js';
import { loadDemoTraffic, type TrafficProgress, type TrafficSummary } from './traffic.js';
import { creatorFirstNames, creatorLastNames, DEMO_PASSWORD, demoBrands, nicheWords } from './world.js';

export interface DemoSummary {
  password: string;
  brands: {
    workspaceId: string;
    name: string;
    owner: string;
    manager: string;
    viewer: string;
    apiKey: string;
    programs: string[];
  }[];
  creators: { id: string; name: string; email: string }[];
  traffic: TrafficSummary;
  /** Coupon codes of the approved creators, a rotated one included. */
  codes: number;
  sales: SalesSummary;
  /** Payout profiles, a completed payout run per program, and one payout the bank returned. */
  payouts: PayoutsSummary;
  /** A bio link of the first demo creator, to try the redirect with. */
  exampleSlug: string | undefined;
}

const platformShape: Record<
  Platform,
  { followers: [number, number]; viewShare: [number, number]; engagement: [number, number]; posts: [number, number] }
> = {
  // Views per post as a share of followers, engagement in basis points of views, posts per week.
  tiktok: { followers: [3_000, 2_400_000], viewShare: [0.12, 0.9], engagement: [350, 1400], posts: [3, 14] },
  instagram: { followers: [2_000, 900_000], viewShare: [0.06, 0.35], engagement: [120, 650], posts: [2, 7] },
  youtube: { followers: [1_000, 1_500_000], viewShare: [0.04, 0.4], engagement: [200, 900], posts: [0.5, 3] },
};

function socialFigures(rng: Random, platform: Platform) {
  const shape = platformShape[platform];
  const followers = rng.logUniform(shape.followers[0], shape.followers[1]);
  // Smaller accounts reach and engage a larger share of their audience.
  const size = Math.log(followers / shape.followers[0]) / Math.log(shape.followers[1] / shape.followers[0]);
  const share = shape.viewShare[1] - (shape.viewShare[1] - shape.viewShare[0]) * (0.5 * size + 0.5 * rng.next());
  const engagement = Math.round(
    shape.engagement[1] - (shape.engagement[1] - shape.engagement[0]) * (0.6 * size + 0.4 * rng.next()),
  );
  const posts = Math.round((shape.posts[0] + rng.next() * (shape.posts[1] - shape.posts[0])) * 10) / 10;
  return {
    followers,
    avgViews: Math.max(100, Math.round(followers * share)),
    engagementBps: engagement,
    postsPerWeek: posts,
  };
}

function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

export { databaseIsEmpty } from './repository.js';

/**
 * Fills an empty database with a believable world. Later capabilities extend it with links,
 * clicks, sales and payouts. Deterministic: the same seed gives the same world.
 */
export async function loadDemo(
  deps: { db: Db; secret: string; clock: Clock },
  options: {
    seed?: number;
    log?: (line: string) => void;
    /** How many clicks to spread over the last 60 days (200,000 unless told). */
    clicks?: number;
    /** Shows the loading of the clicks, e.g. as a progress bar. */
    progress?: TrafficProgress | undefined;
    /** How many sales to record over the last 60 days (1,200 unless told). */
    sales?: number;
  } = {},
): Promise<DemoSummary> {
  const { db } = deps;
  // The demo's world is drawn as of the start of today (UTC): a day-aligned instant, so that the
  // same seed draws the same world whenever it is loaded, on either database. Drawn as of the
  // moment itself, the time of day moved what fell before "now" and how days divided clicks.
  const today = Math.floor(deps.clock.now().getTime() / DAY_MS) * DAY_MS;
  const clock: Clock = { now: () => new Date(today) };
  const log = options.log ?? (() => {});
  const rng = seededRandom(options.seed ?? 20261128);
  const accounts = accountsService({ ...deps, clock });
  const programs = programsService({ db, clock });
  const products = productsService({ db, clock, programs });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const createdAt = clock.now().toISOString();

  const summary: DemoSummary = {
    password: DEMO_PASSWORD,
    brands: [],
    creators: [],
    traffic: { contents: 0, links: 0, clicks: 0, botClicks: 0 },
    codes: 0,
    sales: { sales: 0, attributed: 0, refunds: 0, renewals: 0, held: 0, commissions: 0 },
    payouts: { profiles: 0, runs: 0, paid: 0, failed: 0 },
    exampleSlug: undefined,
  };
  const demoPrograms: DemoProgramRef[] = [];

  for (const brand of demoBrands) {
    const workspaceId = newId('workspace');
    let managerUserId = '';
    await db.transaction().execute(async (tx) => {
      await accountsRepo.insertWorkspace(tx, {
        id: workspaceId,
        name: brand.workspaceName,
        country: brand.country,
        createdAt,
      });
      for (const [person, role] of [
        [brand.owner, 'owner'],
        [brand.manager, 'manager'],
        [brand.viewer, 'viewer'],
      ] as const) {
        const user = await accountsRepo.insertUser(tx, {
          id: newId('user'),
          email: person.email,
          name: person.name,
          passwordHash,
          kind: 'brand',
          isOperator: false,
          createdAt,
        });
        await accountsRepo.insertMembership(tx, {
          id: newId('membership'),
          workspaceId,
          userId: user.id,
          role,
          createdAt,
        });
        if (role === 'manager') managerUserId = user.id;
      }
    });
    const scope = trustedScope(workspaceId);
    const programNames: string[] = [];
    for (const p of brand.programs) {
      const program = await programs.create(scope, {
        name: p.name,
        description: p.description,
        currency: p.currency,
        allowedDomains: p.allowedDomains,
        defaultRate: { type: 'percent', bps: p.defaultRateBps },
        // Creators who sell more than 5,000 in a month earn five points more.
        tiers: [{ thresholdAmount: 500_000, rate: { type: 'percent', bps: p.defaultRateBps + 500 } }],
        attributionWindowDays: p.attributionWindowDays,
        holdingDays: p.holdingDays,
        minPayoutAmount: p.minPayoutAmount,
        visibility: p.visibility,
        codeWinsOverClick: true,
        commissionDuration: { type: 'months', months: 12 },
        rateCutNoticeDays: 30,
        payoutAccount: brand.payoutAccount,
        timezone: p.currency === 'USD' ? 'America/New_York' : 'Europe/Helsinki',
      });
      for (const product of p.products) {
        await products.create(scope, program.id, {
          externalId: product.externalId,
          name: product.name,
          url: `https://${p.allowedDomains[1] ?? p.allowedDomains[0]}${product.path}`,
          price: product.price,
          ...(product.rateBps ? { rate: { type: 'percent' as const, bps: product.rateBps } } : {}),
        });
      }
      programNames.push(program.name);
      demoPrograms.push({ id: program.id, workspaceId, managerUserId, visibility: program.visibility });
      log(`program ${program.name} (${program.currency}) with ${p.products.length} products`);
    }
    const { key } = await accounts.createWorkspaceKey(workspaceId, 'Demo store integration', 'manager');
    summary.brands.push({
      workspaceId,
      name: brand.workspaceName,
      owner: brand.owner.email,
      manager: brand.manager.email,
      viewer: brand.viewer.email,
      apiKey: key,
      programs: programNames,
    });
  }

  // Forty creators: mostly Finnish and American, a few Swedish and German.
  const countries = [
    ...Array(16).fill('FI'),
    ...Array(18).fill('US'),
    'SE',
    'SE',
    'SE',
    'DE',
    'DE',
    'DE',
  ] as (keyof typeof creatorFirstNames)[];
  const usedHandles = new Set<string>();
  const usedEmails = new Set<string>();
  const firstNameUse = new Map<string, number>();
  const demoCreators: DemoCreatorRef[] = [];
  await db.transaction().execute(async (tx) => {
    for (const [index, country] of countries.entries()) {
      const firstPool = creatorFirstNames[country];
      const nth = firstNameUse.get(country) ?? 0;
      firstNameUse.set(country, nth + 1);
      const first = firstPool[nth % firstPool.length] as string;
      // The first creator of each country keeps a fixed name (Krista Lehtonen, Dana Vaughan) for the docs.
      const last = nth === 0 ? (creatorLastNames[country][0] as string) : rng.pick(creatorLastNames[country]);
      const name = `${first} ${last}`;
      let email = `${slugify(first)}.${slugify(last)}@creators.example`;
      if (usedEmails.has(email)) email = `${slugify(first)}.${slugify(last)}${index}@creators.example`;
      usedEmails.add(email);
      const user = await accountsRepo.insertUser(tx, {
        id: newId('user'),
        email,
        name,
        passwordHash,
        kind: 'creator',
        isOperator: false,
        createdAt,
      });
      const creator = await insertCreator(tx, {
        id: newId('creator'),
        userId: user.id,
        name,
        email,
        country,
        createdAt,
      });
      const platforms = rng.shuffle<Platform>(['tiktok', 'instagram', 'youtube']).slice(0, rng.int(1, 3));
      if (!platforms.includes('tiktok') && rng.chance(0.6)) platforms[0] = 'tiktok';
      for (const platform of platforms) {
        let handle = `${slugify(first)}${rng.pick(nicheWords)}`;
        while (usedHandles.has(`${platform}:${handle}`)) handle = `${handle}${rng.int(1, 99)}`;
        usedHandles.add(`${platform}:${handle}`);
        await insertSocialAccount(tx, {
          id: newId('socialAccount'),
          creatorId: creator.id,
          platform,
          handle,
          ...socialFigures(rng, platform),
          createdAt,
        });
      }
      summary.creators.push({ id: creator.id, name, email });
      demoCreators.push({ creatorId: creator.id, userId: user.id, email, country, nth });
    }
  });
  log(`${summary.creators.length} creators with TikTok, Instagram and YouTube accounts`);

  const outcomes = await enrollDemoCreators({ db, clock, rng, programs: demoPrograms, creators: demoCreators });
  log(
    `${outcomes.length} enrollments: ` +
      (['approved', 'applied', 'invited', 'rejected', 'suspended'] as const)
        .map((status) => `${outcomes.filter((o) => o === status).length} ${status}`)
        .join(', '),
  );

  summary.codes = await loadDemoCodes({ db, clock, rng });
  summary.traffic = await loadDemoTraffic(
    { db, clock, rng },
    { clicks: options.clicks ?? 200_000, progress: options.progress },
  );
  summary.sales = await loadDemoSales(
    {
      db,
      clock,
      rng,
      secret: deps.secret,
      dialect: db.getExecutor().adapter.constructor.name === 'PostgresAdapter' ? 'postgres' : 'sqlite',
    },
    { sales: options.sales ?? 1200 },
  );
  log(
    `${summary.sales.sales} sales (${summary.sales.attributed} attributed, ${summary.sales.renewals} renewals), ` +
      `${summary.sales.refunds} refunds, ${summary.sales.commissions} commissions, ${summary.sales.held} held for review`,
  );
  summary.payouts = await loadDemoPayouts(
    {
      db,
      clock,
      rng,
      secret: deps.secret,
      dialect: db.getExecutor().adapter.constructor.name === 'PostgresAdapter' ? 'postgres' : 'sqlite',
    },
    { programs: demoPrograms },
  );
  log(
    `${summary.payouts.profiles} payout profiles; ${summary.payouts.runs} payout runs: ` +
      `${summary.payouts.paid} payouts paid, ${summary.payouts.failed} returned by the bank`,
  );
  const first = summary.creators[0];
  if (first) {
    summary.exampleSlug = await bioSlugOf(db, first.id);
  }
  log(
    `${summary.traffic.contents} videos and posts, ${summary.traffic.links} links, ` +
      `${summary.traffic.clicks.toLocaleString('en')} clicks over 60 days (${summary.traffic.botClicks.toLocaleString('en')} by bots)`,
  );
  return summary;
}

export function describeDemo(summary: DemoSummary, publicUrl: string): string {
  const lines = ['Demo data loaded.', '', `Every demo account's password: ${summary.password}`, ''];
  for (const b of summary.brands) {
    lines.push(`${b.name} (${b.programs.join(', ')})`);
    lines.push(`  owner   ${b.owner}`);
    lines.push(`  manager ${b.manager}`);
    lines.push(`  viewer  ${b.viewer}`);
    lines.push(`  API key ${b.apiKey}`);
    lines.push('');
  }
  const c = summary.creators[0];
  if (c) lines.push(`Creators: ${summary.creators.length}, for example ${c.name} <${c.email}>`, '');
  const t = summary.traffic;
  lines.push(
    `Content and links: ${t.contents} videos and posts, ${t.links} tracked links, ` +
      `${t.clicks.toLocaleString('en')} clicks over the last 60 days (${t.botClicks.toLocaleString('en')} by bots, never counted)`,
  );
  lines.push(`Coupon codes: ${summary.codes}, one per approved creator and program (one replaced after a leak)`);
  const s = summary.sales;
  lines.push(
    `Sales: ${s.sales} over 60 days (${s.attributed} attributed by code, click or returning customer; ${s.renewals} subscription renewals), ` +
      `${s.refunds} refunds, ${s.commissions} commissions (${s.held} held for review)`,
  );
  if (summary.exampleSlug) lines.push(`Try a link: curl -si ${publicUrl}/${summary.exampleSlug}`);
  lines.push('');
  lines.push(
    'Log in:',
    `  curl -s ${publicUrl}/api/v1/auth/login -H 'content-type: application/json' \\`,
    `    -d '{"email":"${summary.brands[0]?.owner}","password":"${summary.password}"}'`,
    `API reference: ${publicUrl}/docs`,
  );
  return lines.join('\n');
}
