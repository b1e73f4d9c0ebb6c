import { createHash } from 'node:crypto';
import { minorUnitDigits } from '../shared/money.js';
import { type PageLanguage, type PageMessages, pageMessages } from './messages.js';
import type { PageCode } from './repository.js';
import type { BioTheme } from './schemas.js';

/** Every piece of text that reaches the page goes through this: element content and attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

/**
 * The page's one script, the same on every page so that the policy names it by its hash: it
 * shows the copy buttons (hidden without it: the codes stay readable and selectable), copies,
 * and counts a code's copy with a beacon.
 */
export const PAGE_SCRIPT =
  "document.querySelectorAll('button[data-copy]').forEach(function(b){b.hidden=false;" +
  "b.addEventListener('click',function(){var t=b.getAttribute('data-copy'),d=function(){b.textContent=b.getAttribute('data-done')};" +
  'if(navigator.clipboard)navigator.clipboard.writeText(t).then(d,function(){});' +
  "var c=b.getAttribute('data-code');if(c&&navigator.sendBeacon)navigator.sendBeacon(document.body.getAttribute('data-count')," +
  "new Blob([JSON.stringify({codeId:c})],{type:'application/json'}))})})";

export const PAGE_SCRIPT_HASH = `sha256-${createHash('sha256').update(PAGE_SCRIPT).digest('base64')}`;

/**
 * The page's policy: nothing but its own script and its own style sheet, each named by its hash
 * (so a page, once rendered, can be served again as it is), https images and its beacon.
 */
export function pageCsp(styleHash: string): string {
  return (
    "default-src 'none'; " +
    `script-src '${PAGE_SCRIPT_HASH}'; style-src '${styleHash}'; img-src https: data:; ` +
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
  );
}

export const defaultTheme: BioTheme = {
  background: '#f6f4f0',
  text: '#1d1b19',
  button: '#1d1b19',
  buttonText: '#ffffff',
};

const colourPattern = /^#[0-9a-fA-F]{6}$/;

/** The theme's colours, each checked again here: only #rrggbb reaches the style sheet. */
function safeTheme(theme: BioTheme | null): BioTheme {
  const t = theme ?? defaultTheme;
  const pick = (v: string, d: string) => (colourPattern.test(v) ? v : d);
  return {
    background: pick(t.background, defaultTheme.background),
    text: pick(t.text, defaultTheme.text),
    button: pick(t.button, defaultTheme.button),
    buttonText: pick(t.buttonText, defaultTheme.buttonText),
  };
}

export interface RenderedLink {
  label: string;
  slug: string;
  code: PageCode | undefined;
}

export interface PageView {
  handle: string;
  title: string;
  bio: string | null;
  avatarUrl: string | null;
  theme: BioTheme | null;
  language: PageLanguage;
  links: RenderedLink[];
  /** The page's own address, for Open Graph and the copy-link button. */
  pageUrl: string;
  /** Set on a video's page: its heading, and the way back to the whole page. */
  video?: { title: string | null } | undefined;
  /** TikTok's or Instagram's in-app browser, which gets a note on opening the page in the visitor's own. */
  inApp: 'tiktok' | 'instagram' | undefined;
}

const localeOf: Record<PageLanguage, string> = { en: 'en-GB', fi: 'fi-FI' };

function discountText(code: PageCode, lang: PageLanguage, m: PageMessages): string {
  const locale = localeOf[lang];
  if (code.discount.type === 'percent') {
    const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(
      code.discount.bps / 10_000,
    );
    return m.discountPercent(pct);
  }
  const digits = minorUnitDigits(code.currency);
  const amount = new Intl.NumberFormat(locale, { style: 'currency', currency: code.currency }).format(
    code.discount.amount / 10 ** digits,
  );
  return m.discountFlat(amount);
}

function linkItem(link: RenderedLink, lang: PageLanguage, m: PageMessages): string {
  const label = escapeHtml(link.label);
  let html =
    `<li><a class="l" href="/${escapeHtml(link.slug)}?via=bio" rel="sponsored noopener">${label}</a>` +
    `<small>${escapeHtml(m.disclosure)}</small>`;
  if (link.code) {
    const code = escapeHtml(link.code.code);
    html +=
      `<p class="c">${escapeHtml(m.code)} <b>${code}</b> · ${escapeHtml(discountText(link.code, lang, m))} ` +
      `<button type="button" hidden data-copy="${code}" data-code="${escapeHtml(link.code.id)}" ` +
      `data-done="${escapeHtml(m.copied)}" aria-label="${escapeHtml(`${m.copy} ${link.code.code}`)}">${escapeHtml(m.copy)}</button></p>`;
  }
  return `${html}</li>`;
}

/** The whole page and its policy: small, readable without script, every piece of creator text escaped. */
export function renderPage(v: PageView): { html: string; csp: string } {
  const m = pageMessages[v.language];
  const t = safeTheme(v.theme);
  const title = escapeHtml(v.title);
  const description = escapeHtml(v.bio ?? `@${v.handle}`);
  const pageUrl = escapeHtml(v.pageUrl);
  const head =
    `<!doctype html><html lang="${v.language}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>${title} (@${escapeHtml(v.handle)})</title>` +
    `<meta name="description" content="${description}">` +
    `<meta property="og:type" content="profile"><meta property="og:title" content="${title}">` +
    `<meta property="og:description" content="${description}"><meta property="og:url" content="${pageUrl}">` +
    (v.avatarUrl ? `<meta property="og:image" content="${escapeHtml(v.avatarUrl)}">` : '') +
    '<meta name="twitter:card" content="summary">' +
    '<style>';
  const style =
    `body{margin:0;font:16px/1.45 system-ui,-apple-system,sans-serif;background:${t.background};color:${t.text}}` +
    'main{max-width:34rem;margin:0 auto;padding:2rem 1rem 3rem;text-align:center}' +
    '.a{width:96px;height:96px;border-radius:50%;object-fit:cover}h1{font-size:1.35rem;margin:.6rem 0 .2rem}' +
    'h2{font-size:1.05rem}ul{list-style:none;padding:0;margin:1.5rem 0 0}li{margin:0 0 1.1rem}' +
    `.l{display:block;padding:.95rem 1rem;border-radius:.8rem;background:${t.button};color:${t.buttonText};` +
    'font-weight:600;text-decoration:none}.l:focus-visible,button:focus-visible{outline:3px solid #2563eb;outline-offset:2px}' +
    'small{display:block;font-size:.78rem;opacity:.8;margin-top:.3rem}.c{margin:.35rem 0 0;font-size:.92rem}' +
    '.c b{user-select:all;-webkit-user-select:all;letter-spacing:.04em}' +
    `button{font:inherit;font-size:.85rem;padding:.25rem .7rem;border-radius:1rem;border:1px solid ${t.text};` +
    `background:transparent;color:${t.text};cursor:pointer}` +
    '.w{border:1px solid;border-radius:.8rem;padding:.8rem 1rem;text-align:left;font-size:.92rem}' +
    '.b{color:inherit}.w code{user-select:all;-webkit-user-select:all;word-break:break-all}';
  const styleHash = `sha256-${createHash('sha256').update(style).digest('base64')}`;

  let body = `<body data-count="/@${escapeHtml(v.handle)}/copies"><main>`;
  const inApp = v.inApp;
  if (inApp) {
    body +=
      `<div class="w" role="note"><p>${escapeHtml(inApp === 'tiktok' ? m.inAppTiktok : m.inAppInstagram)}</p>` +
      `<p>${escapeHtml(m.pageAddress)}: <code>${pageUrl}</code> ` +
      `<button type="button" hidden data-copy="${pageUrl}" data-done="${escapeHtml(m.copied)}">${escapeHtml(m.copyLink)}</button></p></div>`;
  }
  if (v.avatarUrl) body += `<img class="a" src="${escapeHtml(v.avatarUrl)}" alt="" width="96" height="96">`;
  body += `<h1>${title}</h1>`;
  if (v.bio) body += `<p>${escapeHtml(v.bio)}</p>`;
  if (v.video) {
    body += `<h2>${escapeHtml(m.videoHeading)}</h2>`;
    if (v.video.title) body += `<p>${escapeHtml(v.video.title)}</p>`;
  }
  if (v.links.length === 0) body += `<p>${escapeHtml(m.noLinks)}</p>`;
  else body += `<ul>${v.links.map((l) => linkItem(l, v.language, m)).join('')}</ul>`;
  if (v.video) body += `<p><a class="b" href="/@${escapeHtml(v.handle)}">${escapeHtml(m.allLinks)}</a></p>`;
  body += `</main><script>${PAGE_SCRIPT}</script></body></html>`;
  return { html: `${head}${style}</style></head>${body}`, csp: pageCsp(styleHash) };
}

/** The page a visitor sees for a handle (or a video) that has no page. */
export function notFoundHtml(language: PageLanguage): string {
  const [title, text] =
    language === 'fi'
      ? ['Sivua ei löytynyt', 'Tällä osoitteella ei ole bio-sivua. Tarkista osoite.']
      : ['Page not found', 'There is no link-in-bio page at this address. Check the address.'];
  return (
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<meta name="robots" content="noindex"><title>${title}</title></head>` +
    `<body><main><h1>${title}</h1><p>${text}</p></main></body></html>`
  );
}
