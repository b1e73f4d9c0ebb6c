import { describe, expect, it } from 'vitest';
import { classifyUserAgent, countryCode, referrerDomain } from './classify.js';

const iphoneSafari =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const tiktokInApp =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 musical_ly_34.1.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/US BytedanceWebview/d8a21c6';
const instagramInApp =
  'Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 Instagram 330.0.0.40.92 Android (34/14; 450dpi; 1080x2340; samsung; SM-S918B; dm3q; qcom; en_US; 601420828)';
const desktopChrome =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const ipad =
  'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe('classifyUserAgent', () => {
  it.each([
    [iphoneSafari, 'mobile', 'Mobile Safari', 'iOS'],
    [tiktokInApp, 'mobile', 'TikTok', 'iOS'],
    [instagramInApp, 'mobile', 'Instagram', 'Android'],
    [desktopChrome, 'desktop', 'Chrome', 'Windows'],
    [ipad, 'tablet', 'Mobile Safari', 'iOS'],
  ])('counts a person: %s', (ua, device, browser, os) => {
    expect(classifyUserAgent(ua)).toEqual({ device, browser, os, isBot: false });
  });

  it.each([
    'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    'meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)',
    'Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; TikTokSpider; ttspider-feedback@tiktok.com)',
    'Instagram 330.0.0.40.92 (link preview bot)',
    'Mozilla/5.0 (compatible; XBot/1.0)',
    'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
    'Mastodon/4.2.8 (http.rb/5.1.1; +https://mastodon.social/) Bot',
    'Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)',
    'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
    'Twitterbot/1.0',
    'TelegramBot (like TwitterBot)',
    'WhatsApp/2.23.20.0',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'curl/8.5.0',
    'python-requests/2.31.0',
    '',
  ])('flags a bot or preview fetcher: %j', (ua) => {
    const visit = classifyUserAgent(ua);
    expect(visit.isBot).toBe(true);
    expect(visit.device).toBe('bot');
  });
});

describe('referrerDomain', () => {
  it.each([
    [undefined, 'direct'],
    ['', 'direct'],
    ['not a url', 'direct'],
    ['https://www.tiktok.com/@krista/video/1', 'tiktok.com'],
    ['https://l.instagram.com/?u=x', 'l.instagram.com'],
    ['android-app://com.google.android.gm/', 'com.google.android.gm'],
  ])('%j → %s', (referer, domain) => {
    expect(referrerDomain(referer)).toBe(domain);
  });
});

describe('countryCode', () => {
  it.each([
    ['FI', 'FI'],
    ['us', 'US'],
    [' SE ', 'SE'],
    ['XX', 'unknown'],
    ['T1', 'unknown'],
    ['Finland', 'unknown'],
    [undefined, 'unknown'],
  ])('%j → %s', (value, code) => {
    expect(countryCode(value)).toBe(code);
  });
});
