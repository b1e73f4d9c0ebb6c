/**
 * Who clicks the demo's links, and how: audiences by brand, their hours, devices and in-app
 * browsers (real user agents, read by the redirect's own classifier), referrers, crawlers, and
 * the addresses of the creators' posts.
 */
import type { Placement } from '../db/schema.js';
import type { Random } from './random.js';

export type SocialPlatform = 'tiktok' | 'instagram' | 'youtube';

/** Where a visitor comes from, by platform: in-app browsers often send no referrer at all. */
export const referrers: Record<SocialPlatform, readonly (readonly [string, number])[]> = {
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

export interface Audience {
  country: string;
  /** Offsets from UTC in hours (standard time), one drawn per visitor. */
  utcOffsets: readonly number[];
  /** Share of phones that are iPhones. */
  iosShare: number;
}

/** Who follows a brand's creators: the Finnish brand's audience is in the Nordics, the US one's in North America. */
export const audiences: Record<string, readonly (readonly [Audience, number])[]> = {
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
export function personAgent(rng: Random, platform: SocialPlatform, placement: Placement, audience: Audience): string {
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
export const botAgents = [
  'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  'Mozilla/5.0 (compatible; TikTokSpider; ttspider-feedback@tiktok.com)',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
  'WhatsApp/2.23.20.0',
  'Twitterbot/1.0',
] as const;
export const botCountries: readonly (readonly [string, number])[] = [
  ['US', 0.55],
  ['IE', 0.2],
  ['SG', 0.1],
  ['unknown', 0.15],
];

/** Evening-heavy hours of the audience's own day. */
const hourWeights = [2, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 6, 6, 6, 6, 7, 8, 9, 11, 12, 12, 10, 7, 4];
const hourTotal = hourWeights.reduce((a, b) => a + b, 0);

export function weighted<T>(rng: Random, options: readonly (readonly [T, number])[]): T {
  let r = rng.next();
  for (const [value, weight] of options) {
    r -= weight;
    if (r <= 0) return value;
  }
  return (options.at(-1) as readonly [T, number])[0];
}

export function hourOfDay(rng: Random): number {
  let r = rng.next() * hourTotal;
  for (let h = 0; h < 24; h++) {
    r -= hourWeights[h] as number;
    if (r <= 0) return h;
  }
  return 23;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export function token(rng: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE64URL[Math.floor(rng.next() * 64)];
  return out;
}

/** A post's address as its platform writes it. */
export function postUrl(rng: Random, platform: SocialPlatform, handle: string): string {
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
