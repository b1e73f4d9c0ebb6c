/**
 * The fraud rules, pure. Thresholds are deliberately conservative: a hold costs a creator time,
 * so only a clear signal holds a commission.
 */
import { normaliseHostname } from '../shared/domains.js';

/** Well-known coupon and deal sites, where leaked creator codes end up. A program can add more. */
export const DEFAULT_COUPON_SITES = [
  'retailmenot.com',
  'couponfollow.com',
  'dealspotr.com',
  'knoji.com',
  'slickdeals.net',
  'joinhoney.com',
  'couponcabin.com',
  'coupons.com',
  'wethrift.com',
  'offers.com',
  'savings.com',
  'couponbirds.com',
  'dontpayfull.com',
  'hotdeals.com',
  'groupon.com',
] as const;

/** More clicks than this from one visitor on the winning link within a day hold the commission. */
export const DEFAULT_CLICK_SPAM_THRESHOLD = 20;

/** The host of a referrer given as a URL or a bare host; null when it is neither. */
export function referrerHost(referrer: string | null | undefined): string | null {
  if (!referrer) return null;
  const text = referrer.trim();
  try {
    return (
      normaliseHostname(new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).hostname) ?? null
    );
  } catch {
    return null;
  }
}

/** A host is on the list when it is a listed domain or one of its subdomains. */
export function onList(host: string | null, domains: readonly string[]): boolean {
  if (!host) return false;
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

export interface DayCounts {
  uses: number;
  noClick: number;
  newCustomers: number;
  couponSite: number;
}

/** A code is judged against its own past only once it has one. */
export const LEAK_RULES = {
  /** Days of the baseline before the day judged. */
  baselineDays: 28,
  /** A code younger than this (since its first use) is never flagged for a spike. */
  minAgeDays: 7,
  /** Uses in the baseline needed before a spike can be judged. */
  minBaselineUses: 5,
  /** A day's uses must be at least this many… */
  minUses: 10,
  /** …and this many times the baseline's typical day (the larger of its median and mean). */
  spikeFactor: 5,
  /** Together with a shift of this much in the share of code-only uses or of new customers. */
  shareShift: 0.25,
} as const;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

export type LeakVerdict = { leak: false } | { leak: true; reason: 'spike' | 'coupon_site'; detail: string };

/**
 * Is a code's use today a change of pattern that looks like a leak? Codes are often used with no
 * click at all — a viewer hears DANA15 in a video and types it — so code-only use is normal and
 * never a signal by itself. A signal is a coupon-site referrer, or a day far above the code's own
 * baseline whose uses also differ in kind: many more code-only uses, or many more new customers,
 * than the code usually has.
 */
export function judgeCode(today: DayCounts, baseline: DayCounts[], ageDays: number, code: string): LeakVerdict {
  if (today.couponSite > 0) {
    return {
      leak: true,
      reason: 'coupon_site',
      detail: `${code} was used by a buyer who came from a coupon site (${today.couponSite} use${today.couponSite === 1 ? '' : 's'} today).`,
    };
  }
  if (ageDays < LEAK_RULES.minAgeDays) return { leak: false };
  const days = baseline.slice(-LEAK_RULES.baselineDays);
  const total = days.reduce(
    (s, d) => ({
      uses: s.uses + d.uses,
      noClick: s.noClick + d.noClick,
      newCustomers: s.newCustomers + d.newCustomers,
    }),
    { uses: 0, noClick: 0, newCustomers: 0 },
  );
  if (total.uses < LEAK_RULES.minBaselineUses) return { leak: false };
  const typical = Math.max(median(days.map((d) => d.uses)), total.uses / Math.max(days.length, 1), 1);
  const threshold = Math.max(LEAK_RULES.minUses, LEAK_RULES.spikeFactor * typical);
  if (today.uses < threshold) return { leak: false };
  const noClickShift = today.noClick / today.uses - total.noClick / total.uses;
  const newShift = today.newCustomers / today.uses - total.newCustomers / total.uses;
  if (noClickShift < LEAK_RULES.shareShift && newShift < LEAK_RULES.shareShift) return { leak: false };
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  return {
    leak: true,
    reason: 'spike',
    detail:
      `${code} was used ${today.uses} times today against a typical ${typical.toFixed(1)} a day over the last ${days.length} days, ` +
      `with ${pct(today.noClick / today.uses)} of uses without a click from the creator's links (usually ${pct(total.noClick / total.uses)}) ` +
      `and ${pct(today.newCustomers / today.uses)} new customers (usually ${pct(total.newCustomers / total.uses)}).`,
  };
}
