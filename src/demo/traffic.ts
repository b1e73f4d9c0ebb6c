import { classifyUserAgent, type Visit } from '../clicks/classify.js';
import type { ClickRecord } from '../clicks/click.js';
import { writeClickBatch } from '../clicks/writer.js';
import { insertContents } from '../contents/repository.js';
import type { Content } from '../contents/schemas.js';
import type { Db } from '../db/database.js';
import type { Placement } from '../db/schema.js';
import { insertDestinationChanges, insertLinks, type LinkRow } from '../links/repository.js';
import { slugProblem } from '../links/slug.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import { DAY_MS as DAY, HOUR_MS as HOUR, MINUTE_MS as MINUTE } from '../shared/time.js';
import type { Random } from './random.js';
import { activeProducts, approvedEnrollments, socialAccounts } from './repository.js';
import {
  audiences,
  botAgents,
  botCountries,
  hourOfDay,
  personAgent,
  postUrl,
  referrers,
  type SocialPlatform,
  token,
  weighted,
} from './visitors.js';
import { demoBrands } from './world.js';

/** How far back the demo's videos and clicks go. */
const HISTORY_DAYS = 60;
/** Clicks per transaction, as the redirect's batch writer would see them under load. */
const BATCH = 5000;
/** Share of drawn visits that are link-preview fetchers and crawlers: about 6 % of all clicks. */
const BOT_SHARE = 0.075;
/** Chance that a person clicks again the same day, on the same video. */
const RETURN_CHANCE = 0.2;

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

  const enrollments = await approvedEnrollments(db);
  const socials = await socialAccounts(db);
  const products = await activeProducts(db);
  const creatorUsers = new Map(enrollments.map((e) => [e.creator_id, e.creator_user_id]));
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
        postedAt: now - DAY - Math.floor(rng.next() * (HISTORY_DAYS - 2) * DAY),
        title: rng.pick(titles).replace('{product}', product?.name ?? 'the new collection'),
        destination: product?.url ?? shop,
        reach,
      });
    }
  }
  plans.sort((a, b) => a.postedAt - b.postedAt);

  const links: DemoLink[] = [];
  const contentRows: Content[] = [];
  const linkRows: LinkRow[] = [];
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
      workspaceId: e.workspace_id,
      programId: e.program_id,
      creatorId: e.creator_id,
      slug: uniqueSlug(slug),
      destinationUrl: destination,
      contentId: link.contentId,
      placement: link.placement,
      utm: null,
      status: 'enabled',
      expiresAt: null,
      createdBy: creatorUsers.get(e.creator_id) ?? e.creator_id,
      createdAt: at,
      updatedAt: at,
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
      creatorId: e.creator_id,
      platform: account.platform,
      url: postUrl(rng, account.platform, account.handle),
      title: plan.title,
      postedAt: posted,
      createdAt: posted,
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
    await insertContents(tx, contentRows);
    await insertLinks(tx, linkRows);
    await insertDestinationChanges(
      tx,
      linkRows.map((l) => ({
        id: newId('linkChange'),
        linkId: l.id,
        destinationUrl: l.destinationUrl,
        changedBy: l.createdBy,
        changedAt: l.createdAt,
      })),
    );
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
