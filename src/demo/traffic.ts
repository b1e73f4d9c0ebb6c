import type { ClickRecord } from '../clicks/writer.js';
import { writeClickBatch } from '../clicks/writer.js';
import type { Db } from '../db/database.js';
import type { Placement } from '../db/schema.js';
import { slugProblem } from '../links/slug.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import type { Random } from './random.js';

const DAY = 86_400_000;
/** How far back the demo's videos and clicks go. */
const HISTORY_DAYS = 60;

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

const titles: Record<'tiktok' | 'instagram' | 'youtube', readonly string[]> = {
  tiktok: [
    'Morning routine with my favourite pieces',
    'Try-on haul: what actually fits',
    '3 ways to style it',
    'Get ready with me',
    'Honest review after a month',
    'Packing for a weekend in the archipelago',
  ],
  instagram: [
    'New season, new favourites',
    'Reel: outfit of the week',
    'Story highlights: my top picks',
    'Before and after, no filter',
    'What I use every day',
  ],
  youtube: [
    'Full review: is it worth it?',
    'My everyday essentials, 2026 edition',
    'Testing it for 30 days',
    'Haul and first impressions',
  ],
};

/** Where a visitor comes from, by platform: in-app browsers often send no referrer at all. */
const referrers: Record<string, readonly [string, number][]> = {
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

const countriesByCurrency: Record<string, readonly [string, number][]> = {
  EUR: [
    ['FI', 0.68],
    ['SE', 0.1],
    ['EE', 0.05],
    ['DE', 0.08],
    ['NO', 0.04],
    ['unknown', 0.05],
  ],
  USD: [
    ['US', 0.79],
    ['CA', 0.08],
    ['GB', 0.06],
    ['AU', 0.03],
    ['unknown', 0.04],
  ],
};

/** Device, browser and OS of people, by how often they tap a creator's link. */
function humanVisit(rng: Random, platform: string): { device: string; browser: string; os: string } {
  const r = rng.next();
  if (r < 0.75) {
    const ios = rng.chance(0.58);
    const inApp = rng.chance(0.55);
    const browser = inApp
      ? platform === 'tiktok'
        ? 'TikTok'
        : platform === 'instagram'
          ? 'Instagram'
          : ios
            ? 'Mobile Safari'
            : 'Chrome Mobile'
      : ios
        ? 'Mobile Safari'
        : rng.chance(0.2)
          ? 'Samsung Internet'
          : 'Chrome Mobile';
    return { device: 'mobile', browser, os: ios ? 'iOS' : 'Android' };
  }
  if (r < 0.82) return { device: 'tablet', browser: 'Mobile Safari', os: 'iOS' };
  const mac = rng.chance(0.35);
  return {
    device: 'desktop',
    browser: mac ? (rng.chance(0.6) ? 'Safari' : 'Chrome') : rng.chance(0.75) ? 'Chrome' : 'Edge',
    os: mac ? 'macOS' : 'Windows',
  };
}

const bots = [
  { browser: 'facebookexternalhit', referrer: 'direct' },
  { browser: 'TikTokSpider', referrer: 'direct' },
  { browser: 'Googlebot', referrer: 'direct' },
  { browser: 'Slackbot', referrer: 'direct' },
  { browser: 'Discordbot', referrer: 'direct' },
];

/** Evening-heavy hours of the day (UTC, close enough to Finnish and US evenings for a demo). */
const hourWeights = [2, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 6, 6, 6, 6, 7, 8, 9, 11, 12, 12, 10, 7, 4];
const hourTotal = hourWeights.reduce((a, b) => a + b, 0);

function totalWeightOf(links: readonly { weight: number }[]): number {
  return links.reduce((sum, l) => sum + l.weight, 0);
}

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

const HASH_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
function visitorHash(rng: Random): string {
  let out = '';
  for (let i = 0; i < 22; i++) out += HASH_ALPHABET[Math.floor(rng.next() * 64)];
  return out;
}

interface DemoLink {
  id: string;
  programId: string;
  creatorId: string;
  contentId: string | null;
  placement: Placement;
  platform: string;
  currency: string;
  /** When the link's audience starts clicking. */
  from: number;
  /** Share of the clicks it gets. */
  weight: number;
  /** Days in which half of its remaining clicks arrive; Infinity for a steady bio link. */
  halfLifeDays: number;
  visitors: string[];
}

/**
 * The demo's creators post videos and share links to them: two to five pieces of content per
 * approved creator and program, several links per video (caption, pinned comment, story, QR on
 * screen) plus a bio link, and `clicks` clicks over the last 60 days, most in the days after a
 * video is posted. Clicks go through the same batch writer as the redirect, so rollups and unique
 * flags are what live traffic would have made.
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
    .select(['program_id', 'url'])
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
  const creatorUsers = new Map(
    (await db.selectFrom('creators').select(['id', 'user_id']).execute()).map((c) => [c.id, c.user_id]),
  );

  const links: DemoLink[] = [];
  const contents: {
    id: string;
    creator_id: string;
    platform: 'tiktok' | 'instagram' | 'youtube';
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
    utm: string | null;
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
    if (slugProblem(slug)) throw new Error(`the demo made an invalid slug ${slug}`);
    usedSlugs.add(slug);
    return slug;
  };

  for (const e of enrollments) {
    const accounts = socials.filter((s) => s.creator_id === e.creator_id);
    const urls = products.filter((p) => p.program_id === e.program_id && p.url).map((p) => p.url as string);
    const domains = JSON.parse(e.allowed_domains) as string[];
    if (accounts.length === 0) continue;
    const shop = `https://${domains[1] ?? domains[0]}/`;
    const createdBy = creatorUsers.get(e.creator_id) ?? e.creator_id;
    const main = accounts[0] as (typeof accounts)[number];
    const addLink = (link: Omit<DemoLink, 'id' | 'visitors'>, slug: string, destination: string) => {
      const id = newId('link', link.from);
      links.push({ ...link, id, visitors: [] });
      const at = new Date(Math.min(link.from, now)).toISOString();
      linkRows.push({
        id,
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
        created_by: createdBy,
        created_at: at,
        updated_at: at,
      });
    };

    // A bio link that clicks steadily over the whole period.
    addLink(
      {
        programId: e.program_id,
        creatorId: e.creator_id,
        contentId: null,
        placement: 'bio',
        platform: main.platform,
        currency: e.currency,
        from: now - HISTORY_DAYS * DAY,
        weight: main.avg_views * 0.25,
        halfLifeDays: Number.POSITIVE_INFINITY,
      },
      `${main.handle}/bio`,
      shop,
    );

    const videos = rng.int(2, 5);
    for (let v = 0; v < videos; v++) {
      const account = rng.pick(accounts);
      const postedAt = now - Math.floor(rng.next() * (HISTORY_DAYS - 1) * DAY) - DAY;
      const posted = new Date(postedAt);
      const mmdd = `${String(posted.getUTCMonth() + 1).padStart(2, '0')}${String(posted.getUTCDate()).padStart(2, '0')}`;
      const contentId = newId('content', postedAt);
      const videoId = String(7_000_000_000_000_000_000n + BigInt(Math.floor(rng.next() * 1e15)));
      contents.push({
        id: contentId,
        creator_id: e.creator_id,
        platform: account.platform,
        url:
          account.platform === 'tiktok'
            ? `https://www.tiktok.com/@${account.handle}/video/${videoId}`
            : account.platform === 'instagram'
              ? `https://www.instagram.com/reel/${videoId.slice(-11)}/`
              : `https://www.youtube.com/watch?v=${videoId.slice(-11)}`,
        title: rng.pick(titles[account.platform]),
        posted_at: posted.toISOString(),
        created_at: posted.toISOString(),
      });
      // How many people a video reaches varies a lot: a few go viral.
      const reach = account.avg_views * (rng.chance(0.1) ? 6 + rng.next() * 10 : 0.4 + rng.next() * 1.6);
      const destination = urls.length > 0 ? rng.pick(urls) : shop;
      const placements = rng.shuffle<Placement>(['caption', 'comment', 'story', 'qr']).slice(0, rng.int(2, 4)).sort();
      for (const placement of placements) {
        addLink(
          {
            programId: e.program_id,
            creatorId: e.creator_id,
            contentId,
            placement,
            platform: account.platform,
            currency: e.currency,
            from: postedAt,
            weight: reach * (placement === 'caption' ? 0.5 : placement === 'comment' ? 0.3 : 0.15),
            halfLifeDays: account.platform === 'youtube' ? 6 : account.platform === 'instagram' ? 1.5 : 2,
          },
          `${account.handle}/${account.platform}-${mmdd}-${placement}`,
          destination,
        );
      }
    }
  }

  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < contents.length; i += 200)
      await tx
        .insertInto('contents')
        .values(contents.slice(i, i + 200))
        .execute();
    for (let i = 0; i < linkRows.length; i += 200) {
      const chunk = linkRows.slice(i, i + 200);
      await tx.insertInto('links').values(chunk).execute();
      await tx
        .insertInto('link_destinations')
        .values(
          chunk.map((l) => ({
            id: newId('linkChange', Date.parse(l.created_at)),
            link_id: l.id,
            destination_url: l.destination_url,
            changed_by: l.created_by,
            changed_at: l.created_at,
          })),
        )
        .execute();
    }
  });

  // Clicks: a link is drawn by its weight and a time from its decay after posting; times that
  // fall in the future are drawn again, so recent videos have had fewer of their clicks so far.
  const cumulative: number[] = [];
  const allWeight = totalWeightOf(links);
  let totalWeight = 0;
  for (const link of links) {
    totalWeight += link.weight;
    cumulative.push(totalWeight);
    // Some people click more than once: about one visitor for every 1.4 clicks.
    const pool = Math.max(3, Math.round((options.clicks * link.weight) / allWeight / 1.4));
    for (let i = 0; i < pool; i++) link.visitors.push(visitorHash(rng));
  }
  const times: { at: number; link: DemoLink }[] = [];
  while (times.length < options.clicks && links.length > 0) {
    const target = rng.next() * totalWeight;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < target) lo = mid + 1;
      else hi = mid;
    }
    const link = links[lo] as DemoLink;
    const day = Number.isFinite(link.halfLifeDays)
      ? (-Math.log(1 - rng.next() * 0.999) * link.halfLifeDays) / Math.LN2
      : rng.next() * HISTORY_DAYS;
    const midnight = Math.floor((link.from + day * DAY) / DAY) * DAY;
    const at = midnight + hourOfDay(rng) * 3_600_000 + Math.floor(rng.next() * 3_600_000);
    if (at > now || at < link.from) continue;
    times.push({ at, link });
  }
  times.sort((a, b) => a.at - b.at);

  options.progress?.start(times.length);
  let botClicks = 0;
  const BATCH = 5000;
  for (let i = 0; i < times.length; i += BATCH) {
    const batch: ClickRecord[] = times.slice(i, i + BATCH).map(({ at, link }) => {
      const isBot = rng.chance(0.06);
      const visit = isBot
        ? { device: 'bot', browser: rng.pick(bots).browser, os: 'unknown' }
        : humanVisit(rng, link.platform);
      if (isBot) botClicks += 1;
      const placement: Placement = link.placement;
      return {
        id: newId('click', at),
        linkId: link.id,
        programId: link.programId,
        creatorId: link.creatorId,
        contentId: link.contentId,
        placement,
        at: new Date(at),
        visitorHash: isBot ? visitorHash(rng) : rng.pick(link.visitors),
        device: visit.device,
        browser: visit.browser,
        os: visit.os,
        country: weighted(rng, countriesByCurrency[link.currency] ?? countriesByCurrency.EUR ?? []),
        referrer: isBot || placement === 'qr' ? 'direct' : weighted(rng, referrers[link.platform] ?? [['direct', 1]]),
        isBot,
      };
    });
    await db.transaction().execute((tx) => writeClickBatch(tx, batch));
    options.progress?.update(Math.min(i + BATCH, times.length));
  }
  options.progress?.stop();
  return { contents: contents.length, links: links.length, clicks: times.length, botClicks };
}
