import { isbot } from 'isbot';
import { UAParser } from 'ua-parser-js';

export type Device = 'mobile' | 'tablet' | 'desktop' | 'tv' | 'console' | 'wearable' | 'bot' | 'other';

export interface Visit {
  device: Device;
  browser: string;
  os: string;
  isBot: boolean;
}

/**
 * Link-preview fetchers of the social apps a creator posts on. They fetch a link when it is
 * pasted or shown, not when a person clicks it. The in-app browsers of TikTok and Instagram are
 * people and are not matched here.
 */
const previewFetchers =
  /facebookexternalhit|facebookcatalog|meta-externalagent|meta-externalfetcher|Facebot|Instagram.*(?:bot|preview)|TikTokSpider|Bytespider|Slackbot|Slack-ImgProxy|Discordbot|Twitterbot|XBot|TelegramBot|WhatsApp\/|LinkedInBot|Pinterestbot|redditbot|SkypeUriPreview|Iframely|Embedly|vkShare|Snap URL Preview|Google-PageRenderer|Applebot|Mastodon\//i;

const cache = new Map<string, Visit>();
const CACHE_LIMIT = 10_000;

/** A name read from a user agent, without control characters and of a sensible length. */
function clean(name: string | undefined): string {
  let value = '';
  for (const ch of name ?? '') {
    const code = ch.charCodeAt(0);
    if (code >= 0x20 && code !== 0x7f) value += ch;
  }
  value = value.trim().slice(0, 60);
  return value === '' ? 'unknown' : value;
}

/** Device, browser, OS and bot flag of a user agent; parsed once per distinct user agent. */
export function classifyUserAgent(userAgent: string | undefined): Visit {
  const ua = userAgent ?? '';
  const hit = cache.get(ua);
  if (hit) return hit;
  const bot = ua.trim() === '' || previewFetchers.test(ua) || isbot(ua);
  const parsed = new UAParser(ua).getResult();
  const type = parsed.device.type;
  const device: Device = bot
    ? 'bot'
    : type === 'mobile'
      ? 'mobile'
      : type === 'tablet'
        ? 'tablet'
        : type === 'smarttv'
          ? 'tv'
          : type === 'console'
            ? 'console'
            : type === 'wearable'
              ? 'wearable'
              : type === undefined
                ? 'desktop'
                : 'other';
  const visit: Visit = {
    device,
    browser: clean(parsed.browser.name),
    os: clean(parsed.os.name),
    isBot: bot,
  };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(ua, visit);
  return visit;
}

const referrers = new Map<string, string>();

/** The referring site's host without `www.`, or `direct` when there is none; remembered per referrer. */
export function referrerDomain(referer: string | undefined): string {
  if (!referer) return 'direct';
  const known = referrers.get(referer);
  if (known !== undefined) return known;
  let domain: string;
  try {
    const host = new URL(referer).hostname.toLowerCase();
    domain = host.startsWith('www.') ? host.slice(4) : host || 'direct';
  } catch {
    domain = 'direct';
  }
  if (referrers.size >= CACHE_LIMIT) referrers.delete(referrers.keys().next().value as string);
  referrers.set(referer, domain);
  return domain;
}

/** An ISO 3166-1 alpha-2 code from a trusted header, or `unknown`. */
export function countryCode(value: string | undefined): string {
  if (!value) return 'unknown';
  const code = value.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(code) && code !== 'XX' && code !== 'T1' ? code : 'unknown';
}
