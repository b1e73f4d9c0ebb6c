/**
 * The snippet a shop includes on its pages, served at `/k.js`: a plain ES2017 browser script with
 * no dependencies, which never throws.
 *
 * - Reads `kclid` from the landing URL and keeps it in a first-party cookie on the shop's host
 *   for the attribution window: `data-window` on the script tag, or `?window=` on its URL, in
 *   days (1–365); without either, the window of the program named by `?program=` on its URL,
 *   which the server writes into the body it serves, or else 30. Ids sort by the time of their click, so a later click replaces
 *   the kept id (last click wins) while an old landing URL opened again does not.
 * - Offers `window.kumppani.clickId()` (the id or null), `clickedAt()` (the click's time, read
 *   from the id) and `program` (`data-program`, else `?program=`) to checkout code, keeping any
 *   fields already set. The window comes from `?program=` alone: the server reads only the URL.
 * - On a Shopify store, writes the id into the cart attributes (`/cart/update.js`), once per id
 *   and cart, so the order's `note_attributes` carry it.
 *
 * Comment lines and indentation are dropped when served, which keeps the body far under 3 KB.
 */
const readable = `
(function () {
  try {
    var w = window, d = document, K = 'kclid';
    var ID = /^clk_[0-9a-hjkmnp-tv-z]{26}$/;
    var B32 = '0123456789abcdefghjkmnpqrstvwxyz';
    var s = d.currentScript || d.querySelector('script[src*="/k.js"]');
    var param = function (url, name) {
      try { return new URL(url, location.href).searchParams.get(name); } catch (e) { return null; }
    };
    var option = function (name) {
      return (s && (s.getAttribute('data-' + name) || (s.src && param(s.src, name)))) || null;
    };
    var days = parseInt(option('window'), 10);
    days = isNaN(days) ? DEFAULT_DAYS : Math.min(365, Math.max(1, days));
    // Cookies may be forbidden (a sandboxed frame): then nothing is kept and clickId() is null.
    var get = function (name) {
      try {
        var m = d.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
        return m ? m[1] : null;
      } catch (e) { return null; }
    };
    var set = function (name, value) {
      try {
        d.cookie = name + '=' + value + '; Path=/; Max-Age=' + days * 86400 + '; SameSite=Lax' +
          (location.protocol === 'https:' ? '; Secure' : '');
      } catch (e) {}
    };
    var clickId = function () {
      var v = get(K);
      return v && ID.test(v) ? v : null;
    };
    // The first ten characters after clk_ are the click's milliseconds in base 32.
    var clickedAt = function () {
      var id = clickId(), t = 0, i;
      if (!id) return null;
      for (i = 4; i < 14; i++) t = t * 32 + B32.indexOf(id.charAt(i));
      return new Date(t);
    };
    var landed = param(location.href, K), kept = clickId();
    if (landed && ID.test(landed) && (!kept || landed > kept)) set(K, landed);

    var k = w.kumppani = w.kumppani || {};
    k.clickId = clickId;
    k.clickedAt = clickedAt;
    k.program = option('program');
    k.window = days;

    // Shopify: the cart attribute becomes a note attribute of the order.
    var cart = function () {
      try {
        var S = w.Shopify, id = clickId(), mark = function () { return id + '|' + (get('cart') || ''); };
        if (!S || !S.shop || !id || !w.fetch || get('kclid_cart') === mark()) return;
        w.fetch((S.routes && S.routes.root || '/') + 'cart/update.js', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ attributes: { kclid: id } })
        }).then(function (r) { if (r.ok) set('kclid_cart', mark()); }, function () {});
      } catch (e) {}
    };
    if (w.Shopify) cart();
    else d.addEventListener('DOMContentLoaded', cart);
  } catch (e) {}
})();
`;

/** Drops comment lines and indentation; the script has no multi-line strings, so this is safe. */
function compact(script: string): string {
  return script
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('//'))
    .join('\n');
}

const compacted = `${compact(readable)}\n`;

/** The attribution window of a snippet served without a program, or for an unknown one. */
export const DEFAULT_WINDOW_DAYS = 30;

/** The snippet, with the window it keeps a click id for when the page gives none (1–365 days). */
export function snippetFor(defaultDays: number): string {
  const days = Math.min(365, Math.max(1, Math.trunc(defaultDays)));
  return compacted.replace('DEFAULT_DAYS', String(days));
}
