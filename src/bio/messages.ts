/** The words of the public bio page, in each language it speaks (GLOSSARY.md). */
export type PageLanguage = 'en' | 'fi';

export interface PageMessages {
  disclosure: string;
  code: string;
  copy: string;
  copied: string;
  copyLink: string;
  noLinks: string;
  videoHeading: string;
  allLinks: string;
  inAppTiktok: string;
  inAppInstagram: string;
  pageAddress: string;
  discountPercent: (percent: string) => string;
  discountFlat: (amount: string) => string;
}

export const pageMessages: Record<PageLanguage, PageMessages> = {
  en: {
    disclosure: 'Affiliate link — I earn a commission',
    code: 'Code',
    copy: 'Copy',
    copied: 'Copied',
    copyLink: 'Copy link',
    noLinks: 'No links here yet.',
    videoHeading: 'Products in this video',
    allLinks: 'All links',
    inAppTiktok:
      'You are in TikTok’s browser. To shop with your own browser’s saved details, tap ⋯ at the top right and choose “Open in browser”, or copy the link.',
    inAppInstagram:
      'You are in Instagram’s browser. To shop with your own browser’s saved details, tap ⋯ at the top right and choose “Open in external browser”, or copy the link.',
    pageAddress: 'Page address',
    discountPercent: (p) => `${p} off`,
    discountFlat: (a) => `${a} off`,
  },
  fi: {
    disclosure: 'Mainoslinkki – saan ostoista provisiota',
    code: 'Alennuskoodi',
    copy: 'Kopioi',
    copied: 'Kopioitu',
    copyLink: 'Kopioi linkki',
    noLinks: 'Täällä ei ole vielä linkkejä.',
    videoHeading: 'Tämän videon tuotteet',
    allLinks: 'Kaikki linkit',
    inAppTiktok:
      'Olet TikTokin selaimessa. Jos haluat ostaa omalla selaimellasi tallennetuin tiedoin, napauta oikeasta yläkulmasta ⋯ ja valitse ”Avaa selaimessa”, tai kopioi linkki.',
    inAppInstagram:
      'Olet Instagramin selaimessa. Jos haluat ostaa omalla selaimellasi tallennetuin tiedoin, napauta oikeasta yläkulmasta ⋯ ja valitse ”Avaa ulkoisessa selaimessa”, tai kopioi linkki.',
    pageAddress: 'Sivun osoite',
    discountPercent: (p) => `alennus ${p}`,
    discountFlat: (a) => `alennus ${a}`,
  },
};

/**
 * The page's language from the visitor's Accept-Language: the first of English or Finnish by
 * the visitor's preference (q values), English when neither is asked for.
 */
export function languageOf(acceptLanguage: string | undefined): PageLanguage {
  if (!acceptLanguage) return 'en';
  let best: PageLanguage = 'en';
  let bestQ = -1;
  for (const part of acceptLanguage.slice(0, 500).split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0];
    if (primary !== 'en' && primary !== 'fi') continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q=([0-9.]+)\s*$/.exec(p);
      if (m) q = Number(m[1]);
    }
    if (Number.isFinite(q) && q > bestQ) {
      best = primary;
      bestQ = q;
    }
  }
  return best;
}

/** TikTok's or Instagram's in-app browser, by the tokens they put in their user agent. */
export function inAppBrowser(userAgent: string | undefined): 'tiktok' | 'instagram' | undefined {
  if (!userAgent) return undefined;
  if (/\bInstagram\b/.test(userAgent)) return 'instagram';
  if (/musical_ly|BytedanceWebview|\bTikTok\b|trill_\d/i.test(userAgent)) return 'tiktok';
  return undefined;
}
