import { classifyUserAgent, type Visit } from '../clicks/classify.js';
import type { ClickRecord } from '../clicks/click.js';
import { writeClickBatch } from '../clicks/writer.js';
import type { Db } from '../db/database.js';
import type { Placement } from '../db/schema.js';
import { slugProblem } from '../links/slug.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import type { Random } from './random.js';
import { demoBrands } from './world.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How far back the demo's videos and clicks go. */
const HISTORY_DAYS = 60;
/** Clicks per transaction, as the redirect's batch writer would see them under load. */
const BATCH = 5000;
/** Share of drawn visits that are link-preview fetchers and crawlers: about 6 % of all clicks. */
const BOT_SHARE = 0.075;
/** Chance that a person clicks again the same day, on the same video. */
const RETURN_CHANCE = 0.2;

type SocialPlatform = 'tiktok' | 'instagram' | 'youtube';

export interface TrafficSummary {
  contents: number;
  links: number;
  clicks: number;
  botClicks: number;
}

export interface TrafficProgress {
  start(total: number): void;
  update(done: number): void;
  stop(): void;
}

/** Where a visitor comes from, by platform: in-app browsers often send no referrer at all. */
const referrers: Record<SocialPlatform, readonly (readonly [string, number])[]> = {
  tiktok: [
    ['tiktok.com', 0.72],
    ['direct', 0.28],
  ],
  instagram: [
    ['l.instagram.com', 0.46],
    ['instagram.com', 0.3],
    ['direct', 0.24],
  ],
  youtube: [
    ['youtube.com', 0.66],
    ['m.youtube.com', 0.14],
    ['direct', 0.2],
  ],
};

interface Audience {
  country: string;
  /** Offsets from UTC in hours (standard time), one drawn per visitor. */
  utcOffsets: readonly number[];
  /** Share of phones that are iPhones. */
  iosShare: number;
}

/** Who follows a brand's creators: the Finnish brand's audience is in the Nordics, the US one's in North America. */
const audiences: Record<string, readonly (readonly [Audience, number])[]> = {
  EUR: [
    [{ country: 'FI', utcOffsets: [2], iosShare: 0.38 }, 0.68],
    [{ country: 'SE', utcOffsets: [1], iosShare: 0.5 }, 0.1],
    [{ country: 'DE', utcOffsets: [1], iosShare: 0.38 }, 0.08],
    [{ country: 'EE', utcOffsets: [2], iosShare: 0.3 }, 0.05],
    [{ country: 'NO', utcOffsets: [1], iosShare: 0.55 }, 0.04],
    [{ country: 'unknown', utcOffsets: [1, 2], iosShare: 0.4 }, 0.05],
  ],
  USD: [
    [{ country: 'US', utcOffsets: [-5, -5, -5, -6, -6, -7, -8, -8], iosShare: 0.58 }, 0.79],
    [{ country: 'CA', utcOffsets: [-5, -5, -6, -8], iosShare: 0.55 }, 0.08],
    [{ country: 'GB', utcOffsets: [0], iosShare: 0.5 }, 0.06],
    [{ country: 'AU', utcOffsets: [11, 10], iosShare: 0.55 }, 0.03],
    [{ country: 'unknown', utcOffsets: [-5, -6], iosShare: 0.55 }, 0.04],
  ],
};

/**
 * Real user agents, read by the same classifier as the redirect, so the demo's devices, browsers
 * and operating systems have the names that live clicks get.
 */
const agents = {
  iphoneSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  iphoneChrome:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/125.0.6422.80 Mobile/15E148 Safari/604.1',
  iphoneInstagram:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 330.0.0.25.101 (iPhone14,5; iOS 17_5; en_US; en; scale=3.00; 1170x2532; 601420827)',
  iphoneTikTok:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 musical_ly_34.5.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/FI WKWebView/1 BytedanceWebview/d8a21c6',
  androidChrome:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36',
  androidSamsung:
    'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
  androidInstagram:
    'Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.179 Mobile Safari/537.36 Instagram 330.0.0.40.92 Android (34/14; 480dpi; 1080x2340; samsung; SM-S918B; dm3q; qcom; en_US; 601420827)',
  androidTikTok:
    'Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230901.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0 Mobile Safari/537.36 musical_ly_2023405020 JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/musical_ly app_version/34.5.2 ByteLocale/en BytedanceWebview/d8a21c6',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  androidTablet:
    'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  windowsChrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
  windowsEdge:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0',
  windowsFirefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0',
  macSafari:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  macChrome:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
} as const;

/** Share of phone visits from a platform's own in-app browser (YouTube opens the system one). */
const inApp: Record<SocialPlatform, { share: number; ios: string; android: string } | undefined> = {
  tiktok: { share: 0.6, ios: agents.iphoneTikTok, android: agents.androidTikTok },
  instagram: { share: 0.55, ios: agents.iphoneInstagram, android: agents.androidInstagram },
  youtube: undefined,
};

/** About three in four people on a phone, some on a tablet, the rest at a computer; a QR code is scanned with a phone. */
function personAgent(rng: Random, platform: SocialPlatform, placement: Placement, audience: Audience): string {
  const r = rng.next();
  if (placement === 'qr' || r < 0.75) {
    const ios = rng.chance(audience.iosShare);
    const app = inApp[platform];
    if (app && placement !== 'qr' && rng.chance(app.share)) return ios ? app.ios : app.android;
    if (ios) return rng.chance(0.88) ? agents.iphoneSafari : agents.iphoneChrome;
    return rng.chance(0.78) ? agents.androidChrome : agents.androidSamsung;
  }
  if (r < 0.82) return rng.chance(audience.iosShare + 0.15) ? agents.ipad : agents.androidTablet;
  if (rng.chance(0.32)) return rng.chance(0.6) ? agents.macSafari : agents.macChrome;
  const w = rng.next();
  return w < 0.7 ? agents.windowsChrome : w < 0.9 ? agents.windowsEdge : agents.windowsFirefox;
}

/** Link-preview fetchers and crawlers: they fetch a link when it is posted or shared. */
const botAgents = [
  'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  'Mozilla/5.0 (compatible; TikTokSpider; ttspider-feedback@tiktok.com)',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
  'WhatsApp/2.23.20.0',
  'Twitterbot/1.0',
] as const;
const botCountries: readonly (readonly [string, number])[] = [
  ['US', 0.55],
  ['IE', 0.2],
  ['SG', 0.1],
  ['unknown', 0.15],
];

/** Evening-heavy hours of the audience's own day. */
const hourWeights = [2, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 6, 6, 6, 6, 7, 8, 9, 11, 12, 12, 10, 7, 4];
const hourTotal = hourWeights.reduce((a, b) => a + b, 0);

function weighted<T>(rng: Random, options: readonly (readonly [T, number])[]): T {
  let r = rng.next();
  for (const [value, weight] of options) {
    r -= weight;
    if (r <= 0) return value;
  }
  return (options.at(-1) as readonly [T, number])[0];
}

function hourOfDay(rng: Random): number {
  let r = rng.next() * hourTotal;
  for (let h = 0; h < 24; h++) {
    r -= hourWeights[h] as number;
    if (r <= 0) return h;
  }
  return 23;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
function token(rng: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE64URL[Math.floor(rng.next() * 64)];
  return out;
}

/** A post's address as its platform writes it. */
function postUrl(rng: Random, platform: SocialPlatform, handle: string): string {
  switch (platform) {
    case 'tiktok': {
      const id = 7_300_000_000_000_000_000n + BigInt(Math.floor(rng.next() * 1e9)) * 100_000_000n;
      return `https://www.tiktok.com/@${handle}/video/${id + BigInt(Math.floor(rng.next() * 1e8))}`;
    }
    case 'instagram':
      return `https://www.instagram.com/${rng.chance(0.7) ? 'reel' : 'p'}/${token(rng, 11)}/`;
    case 'youtube':
      return rng.chance(0.6)
        ? `https://www.youtube.com/shorts/${token(rng, 11)}`
        : `https://www.youtube.com/watch?v=${token(rng, 11)}`;
  }
}

const mmdd = (at: number) => new Date(at).toISOString().slice(5, 10).replace('-', '');

interface DemoLink {
  id: string;
  programId: string;
  creatorId: string;
  contentId: string | null;
  placement: Placement;
  platform: SocialPlatform;
  currency: string;
  /** When its audience starts clicking. */
  from: number;
  /** Share of the clicks it gets. */
  weight: number;
  /** Days in which half of its remaining clicks arrive; Infinity for a steady bio link. */
  halfLifeDays: number;
  /** The links of the same video (itself included), where a returning visitor clicks again. */
  siblings: DemoLink[];
}

interface Visitor {
  hash: string;
  visit: Visit;
  country: string;
}

interface Draft {
  at: number;
  link: DemoLink;
  visitor: Visitor;
  referrer: string;
}

/**
 * The demo's creators post videos and share links to them: two to five videos or posts per
 * approved enrollment, several links per video (caption, pinned comment, story, QR code on
 * screen) and a bio link, then `clicks` clicks over the last 60 days, most in the days after a
 * video is posted. Clicks go through the redirect's batch writer, so unique flags and rollups are
 * what live traffic would have made. Contents and links are inserted in one transaction.
 */
export async function loadDemoTraffic(
  deps: { db: Db; clock: Clock; rng: Random },
  options: { clicks: number; progress?: TrafficProgress | undefined },
): Promise<TrafficSummary> {
  const { db, clock, rng } = deps;
  const now = clock.now().getTime();

  const enrollments = await db
    .selectFrom('enrollments')
    .innerJoin('programs', 'programs.id', 'enrollments.program_id')
    .select([
      'enrollments.creator_id',
      'enrollments.program_id',
      'programs.name',
      'programs.workspace_id',
      'programs.currency',
      'programs.allowed_domains',
    ])
    .where('enrollments.status', '=', 'approved')
    .orderBy('enrollments.id')
    .execute();
  const socials = await db.selectFrom('social_accounts').selectAll().orderBy('id').execute();
  const products = await db
    .selectFrom('products')
    .select(['program_id', 'name', 'url'])
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
  const creatorUsers = new Map(
    (await db.selectFrom('creators').select(['id', 'user_id']).execute()).map((c) => [c.id, c.user_id]),
  );
  const titlesOf = new Map(demoBrands.flatMap((b) => b.programs).map((p) => [p.name, p.videoTitles]));

  // First the videos, in the order they were posted, so that their ids sort by posting time.
  interface Plan {
    enrollment: (typeof enrollments)[number];
    account: (typeof socials)[number];
    postedAt: number;
    title: string;
    destination: string;
    reach: number;
  }
  const plans: Plan[] = [];
  const mains = new Map<(typeof enrollments)[number], (typeof socials)[number]>();
  for (const e of enrollments) {
    const accounts = socials.filter((s) => s.creator_id === e.creator_id);
    const main = accounts[0];
    if (!main) continue;
    mains.set(e, main);
    const domains = JSON.parse(e.allowed_domains) as string[];
    const shop = `https://${domains[1] ?? domains[0]}/`;
    const deepLinks = products.filter((p) => p.program_id === e.program_id && p.url);
    const titles = titlesOf.get(e.name) ?? ['New video'];
    const videos = rng.int(2, 5);
    for (let v = 0; v < videos; v++) {
      const account = rng.pick(accounts);
      const product = deepLinks.length > 0 ? rng.pick(deepLinks) : undefined;
      // How many people a video reaches varies a lot: a few go viral.
      const reach = account.avg_views * (rng.chance(0.1) ? 6 + rng.next() * 10 : 0.4 + rng.next() * 1.6);
      plans.push({
        enrollment: e,
        account,
        postedAt: now - DAY - Math.floor(rng.next() * (HISTORY_DAYS - 1) * DAY),
        title: rng.pick(titles).replace('{product}', product?.name ?? 'the new collection'),
        destination: product?.url ?? shop,
        reach,
      });
    }
  }
  plans.sort((a, b) => a.postedAt - b.postedAt);

  const links: DemoLink[] = [];
  const contentRows: {
    id: string;
    creator_id: string;
    platform: SocialPlatform;
    url: string;
    title: string;
    posted_at: string;
    created_at: string;
  }[] = [];
  const linkRows: {
    id: string;
    workspace_id: string;
    program_id: string;
    creator_id: string;
    slug: string;
    destination_url: string;
    content_id: string | null;
    placement: Placement;
    utm: null;
    status: 'enabled';
    expires_at: null;
    created_by: string;
    created_at: string;
    updated_at: string;
  }[] = [];
  const usedSlugs = new Set<string>();
  const uniqueSlug = (wanted: string) => {
    let slug = wanted;
    for (let n = 2; usedSlugs.has(slug); n++) slug = `${wanted}-${n}`;
    const problem = slugProblem(slug);
    if (problem) throw new Error(`the demo made an invalid slug ${slug}: ${problem}`);
    usedSlugs.add(slug);
    return slug;
  };
  const addLink = (
    e: (typeof enrollments)[number],
    link: Omit<DemoLink, 'id' | 'siblings' | 'programId' | 'creatorId' | 'currency'>,
    slug: string,
    destination: string,
  ): DemoLink => {
    const added: DemoLink = {
      ...link,
      id: newId('link'),
      programId: e.program_id,
      creatorId: e.creator_id,
      currency: e.currency,
      siblings: [],
    };
    added.siblings.push(added);
    links.push(added);
    const at = new Date(link.from).toISOString();
    linkRows.push({
      id: added.id,
      workspace_id: e.workspace_id,
      program_id: e.program_id,
      creator_id: e.creator_id,
      slug: uniqueSlug(slug),
      destination_url: destination,
      content_id: link.contentId,
      placement: link.placement,
      utm: null,
      status: 'enabled',
      expires_at: null,
      created_by: creatorUsers.get(e.creator_id) ?? e.creator_id,
      created_at: at,
      updated_at: at,
    });
    return added;
  };

  // A bio link per enrollment that clicks steadily over the whole period.
  for (const [e, main] of mains) {
    const domains = JSON.parse(e.allowed_domains) as string[];
    addLink(
      e,
      {
        contentId: null,
        placement: 'bio',
        platform: main.platform,
        from: now - HISTORY_DAYS * DAY,
        weight: main.avg_views * 0.25,
        halfLifeDays: Number.POSITIVE_INFINITY,
      },
      `${main.handle}/bio`,
      `https://${domains[1] ?? domains[0]}/`,
    );
  }
  for (const plan of plans) {
    const { account, enrollment: e } = plan;
    const posted = new Date(plan.postedAt).toISOString();
    const contentId = newId('content');
    contentRows.push({
      id: contentId,
      creator_id: e.creator_id,
      platform: account.platform,
      url: postUrl(rng, account.platform, account.handle),
      title: plan.title,
      posted_at: posted,
      created_at: posted,
    });
    const placements = rng.shuffle<Placement>(['caption', 'comment', 'story', 'qr']).slice(0, rng.int(2, 4)).sort();
    const siblings: DemoLink[] = [];
    for (const placement of placements) {
      const link = addLink(
        e,
        {
          contentId,
          placement,
          platform: account.platform,
          from: plan.postedAt,
          weight: plan.reach * (placement === 'caption' ? 0.5 : placement === 'comment' ? 0.3 : 0.15),
          halfLifeDays: account.platform === 'youtube' ? 6 : account.platform === 'instagram' ? 1.5 : 2,
        },
        `${account.handle}/${account.platform}-${mmdd(plan.postedAt)}-${placement}`,
        plan.destination,
      );
      siblings.push(link);
    }
    for (const link of siblings) link.siblings = siblings;
  }

  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < contentRows.length; i += 200) {
      await tx
        .insertInto('contents')
        .values(contentRows.slice(i, i + 200))
        .execute();
    }
    for (let i = 0; i < linkRows.length; i += 200) {
      const chunk = linkRows.slice(i, i + 200);
      await tx.insertInto('links').values(chunk).execute();
      await tx
        .insertInto('link_destinations')
        .values(
          chunk.map((l) => ({
            id: newId('linkChange'),
            link_id: l.id,
            destination_url: l.destination_url,
            changed_by: l.created_by,
            changed_at: l.created_at,
          })),
        )
        .execute();
    }
  });

  const drafts = drawClicks(rng, links, options.clicks, now);

  options.progress?.start(drafts.length);
  let botClicks = 0;
  for (let i = 0; i < drafts.length; i += BATCH) {
    const batch: ClickRecord[] = drafts.slice(i, i + BATCH).map(({ at, link, visitor, referrer }) => {
      if (visitor.visit.isBot) botClicks += 1;
      return {
        id: newId('click'),
        linkId: link.id,
        programId: link.programId,
        creatorId: link.creatorId,
        contentId: link.contentId,
        placement: link.placement,
        at: new Date(at),
        visitorHash: visitor.hash,
        device: visitor.visit.device,
        browser: visitor.visit.browser,
        os: visitor.visit.os,
        country: visitor.country,
        referrer,
        isBot: visitor.visit.isBot,
      };
    });
    await db.transaction().execute((tx) => writeClickBatch(tx, batch));
    options.progress?.update(Math.min(i + BATCH, drafts.length));
  }
  options.progress?.stop();
  return { contents: contentRows.length, links: links.length, clicks: drafts.length, botClicks };
}

/**
 * Draws `count` clicks, oldest first. A link is drawn by its weight, a day from its decay after
 * posting and an hour from its audience's evening-heavy day; times before the post or in the
 * future are drawn again, so recent videos have had fewer of their clicks so far. Visitor hashes
 * change every day as the redirect's do; a person sometimes clicks again the same day, on the
 * same or another link of the video, which makes the clicks that are not unique.
 */
function drawClicks(rng: Random, links: DemoLink[], count: number, now: number): Draft[] {
  const cumulative: number[] = [];
  let totalWeight = 0;
  for (const link of links) {
    totalWeight += link.weight;
    cumulative.push(totalWeight);
  }
  const pickLink = (): DemoLink => {
    const target = rng.next() * totalWeight;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < target) lo = mid + 1;
      else hi = mid;
    }
    return links[lo] as DemoLink;
  };
  /** A time in the link's life, at an hour of the audience's own day; undefined when outside it. */
  const timeFor = (link: DemoLink, utcOffset: number, diurnal: boolean): number | undefined => {
    const days = Number.isFinite(link.halfLifeDays)
      ? (-Math.log(1 - rng.next() * 0.999) * link.halfLifeDays) / Math.LN2
      : rng.next() * HISTORY_DAYS;
    const shift = utcOffset * HOUR;
    const localMidnight = Math.floor((link.from + days * DAY + shift) / DAY) * DAY;
    const hour = diurnal ? hourOfDay(rng) : rng.int(0, 23);
    const at = localMidnight + hour * HOUR + Math.floor(rng.next() * HOUR) - shift;
    return at > now || at < link.from ? undefined : at;
  };

  const drafts: Draft[] = [];
  while (drafts.length < count && links.length > 0) {
    let link = pickLink();
    if (rng.chance(BOT_SHARE)) {
      const at = timeFor(link, 0, false);
      if (at === undefined) continue;
      const visitor = {
        hash: token(rng, 22),
        visit: classifyUserAgent(rng.pick(botAgents)),
        country: weighted(rng, botCountries),
      };
      drafts.push({ at, link, visitor, referrer: 'direct' });
      continue;
    }
    const audience = weighted(rng, audiences[link.currency] ?? audiences.EUR ?? []);
    const first = timeFor(link, rng.pick(audience.utcOffsets), true);
    if (first === undefined) continue;
    let at = first;
    const visitor: Visitor = {
      hash: token(rng, 22),
      visit: classifyUserAgent(personAgent(rng, link.platform, link.placement, audience)),
      country: audience.country,
    };
    for (;;) {
      const referrer = link.placement === 'qr' ? 'direct' : weighted(rng, referrers[link.platform]);
      drafts.push({ at, link, visitor, referrer });
      if (drafts.length >= count || !rng.chance(RETURN_CHANCE)) break;
      const again = at + rng.int(1, 180) * MINUTE;
      if (again > now || Math.floor(again / DAY) !== Math.floor(at / DAY)) break;
      at = again;
      if (rng.chance(0.5)) link = rng.pick(link.siblings);
    }
  }
  return drafts.sort((a, b) => a.at - b.at);
}
