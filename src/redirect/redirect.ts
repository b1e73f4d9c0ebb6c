import type { IncomingMessage, ServerResponse } from 'node:http';
import { classifyUserAgent, referrerDomain } from '../clicks/classify.js';
import type { ClickRecord } from '../clicks/click.js';
import { VisitorHasher } from '../clicks/visitor.js';
import type { ClickWriter } from '../clicks/writer.js';
import type { LinkCache } from '../links/cache.js';
import { redirectLocation } from '../links/destination.js';
import type { RedirectTarget } from '../links/repository.js';
import { MAX_SLUG_LENGTH, RESERVED_SLUGS } from '../links/slug.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import { gonePage, notFoundPage, unavailablePage } from './pages.js';

export interface RedirectDeps {
  cache: LinkCache;
  writer: ClickWriter;
  hasher: VisitorHasher;
  clock: Clock;
  clientAddress: (req: IncomingMessage) => string;
  country: (req: IncomingMessage, ip: string) => string;
  log: { error(obj: object, msg: string): void };
}

/**
 * The slug a request path names, or undefined when the path belongs to the product itself
 * (the API, the docs, the web app, bio pages …) or cannot be a slug. Visitors who type a link
 * in capitals still arrive: the lookup is lowercase, as every slug is. A path too long to be a
 * slug is still the redirect's, which answers it with its own 404 page without a lookup.
 */
export function slugOfPath(url: string | undefined): string | undefined {
  if (!url?.startsWith('/')) return undefined;
  const q = url.indexOf('?');
  let path = q === -1 ? url.slice(1) : url.slice(1, q);
  if (path.endsWith('/')) path = path.slice(0, -1);
  if (path.length === 0 || path.charCodeAt(0) === 64 /* @ */) return undefined;
  const slash = path.indexOf('/');
  const first = (slash === -1 ? path : path.slice(0, slash)).toLowerCase();
  if (RESERVED_SLUGS.has(first)) return undefined;
  return path.toLowerCase();
}

/**
 * The headers every other response gets from the API's security plugin. The referrer policy
 * differs on purpose: the shop may see that the visitor came from the creator's platform.
 */
const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-robots-tag': 'noindex',
};

// A 302 has no body: of the page headers it needs only those that reach the next request.
const redirectHeaders = [
  'referrer-policy',
  securityHeaders['referrer-policy'],
  'strict-transport-security',
  securityHeaders['strict-transport-security'],
];

function sendPage(res: ServerResponse, status: number, body: Buffer, head: boolean): void {
  res.writeHead(status, {
    ...securityHeaders,
    'x-request-id': newId('request'),
    'content-type': 'text/html; charset=utf-8',
    'content-length': body.length,
    // Never cached, not even a 404: a link made a moment after its slug was tried (a QR code
    // scanned before it was set up) must work at the next visit.
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(head ? undefined : body);
}

/** What the redirect works out once per cached target instead of once per click. */
interface Prepared {
  /** The destination with its UTM parameters, before its fragment. */
  beforeHash: string;
  hash: string;
  /** What to put between the destination and `kclid=`. */
  joiner: string;
  expiresAt: number;
  enabled: boolean;
}

const prepared = new WeakMap<RedirectTarget, Prepared>();

function prepare(target: RedirectTarget): Prepared {
  let p = prepared.get(target);
  if (!p) {
    const url = redirectLocation(target.destinationUrl, target.utm, new URLSearchParams(), null);
    const hashAt = url.indexOf('#');
    const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
    p = {
      beforeHash,
      hash: hashAt === -1 ? '' : url.slice(hashAt),
      joiner: beforeHash.endsWith('?') ? '' : beforeHash.includes('?') ? '&' : '?',
      expiresAt: target.expiresAt === null ? Number.POSITIVE_INFINITY : Date.parse(target.expiresAt),
      enabled: target.status === 'enabled' && target.programActive && target.destinationAllowed,
    };
    prepared.set(target, p);
  }
  return p;
}

/**
 * The Location of a redirect. Most visits carry no query of their own: their Location is the
 * prepared destination with the click id appended, without parsing a URL per click.
 */
function locationFor(target: RedirectTarget, p: Prepared, query: string, clickId: string | null): string {
  if (query !== '') {
    return redirectLocation(target.destinationUrl, target.utm, new URLSearchParams(query), clickId);
  }
  if (!clickId) return p.beforeHash + p.hash;
  return `${p.beforeHash}${p.joiner}kclid=${clickId}${p.hash}`;
}

/** A scan of the link's QR code (`?via=qr`) or a tap on the creator's bio page (`?via=bio`) counts with that placement. */
function viaOf(query: string): 'qr' | 'bio' | undefined {
  const via = new URLSearchParams(query).get('via');
  return via === 'qr' || via === 'bio' ? via : undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The redirect: looks the slug up in the in-process cache, records the click and waits until it
 * is committed (group commit shares one transaction among the clicks that arrive together), then
 * answers 302 with the click id on the destination. A visitor is never stranded: if the click
 * cannot be stored, they are still sent on, without a click id that would point at nothing.
 *
 * The usual path (a cached link, today's salt known) runs without a promise: the click is handed
 * to the writer with a callback that answers once its batch has committed.
 */
export function createRedirect(deps: RedirectDeps) {
  const { cache, writer, hasher, clock, log } = deps;

  function send(res: ServerResponse, target: RedirectTarget, p: Prepared, query: string, clickId: string | null) {
    // A flat list of header names and values is the cheapest form for Node to write.
    res.writeHead(302, [
      'location',
      locationFor(target, p, query, clickId),
      'cache-control',
      'no-store',
      'content-length',
      '0',
      ...redirectHeaders,
    ]);
    res.end();
  }

  /** The click of this visit, once the day's salt is known. */
  function clickOf(
    req: IncomingMessage,
    target: RedirectTarget,
    at: Date,
    via: 'qr' | 'bio' | undefined,
    salt: string,
  ): ClickRecord {
    const userAgent = header(req, 'user-agent') ?? '';
    const visit = classifyUserAgent(userAgent);
    const ip = deps.clientAddress(req);
    return {
      id: newId('click', at.getTime()),
      linkId: target.id,
      programId: target.programId,
      creatorId: target.creatorId,
      contentId: target.contentId,
      placement: via ?? target.placement,
      at,
      visitorHash: VisitorHasher.hash(salt, ip, userAgent),
      device: visit.device,
      browser: visit.browser,
      os: visit.os,
      country: deps.country(req, ip),
      referrer: referrerDomain(header(req, 'referer')),
      // A HEAD request reads headers without visiting: scanners and unfurlers, never a person.
      isBot: visit.isBot || req.method === 'HEAD',
    };
  }

  /** The visitor is sent on without a click id when their click cannot be stored. */
  function sendUnstored(
    res: ServerResponse,
    slug: string,
    target: RedirectTarget,
    p: Prepared,
    query: string,
    err: unknown,
  ): void {
    log.error({ err, slug }, 'click not stored; redirecting without a click id');
    send(res, target, p, query, null);
  }

  /** Records the click and answers once it is committed, or at once without a click id if it cannot be. */
  function capture(
    req: IncomingMessage,
    res: ServerResponse,
    slug: string,
    target: RedirectTarget,
    p: Prepared,
    query: string,
    at: Date,
    salt: string,
  ): void {
    let click: ClickRecord;
    try {
      click = clickOf(req, target, at, query === '' ? undefined : viaOf(query), salt);
    } catch (err) {
      sendUnstored(res, slug, target, p, query, err);
      return;
    }
    writer.add(click, (err) => {
      if (err === undefined) send(res, target, p, query, click.id);
      else sendUnstored(res, slug, target, p, query, err);
    });
  }

  function answer(
    req: IncomingMessage,
    res: ServerResponse,
    slug: string,
    target: RedirectTarget | undefined,
    head: boolean,
  ): void {
    if (!target) {
      sendPage(res, 404, notFoundPage, head);
      return;
    }
    const p = prepare(target);
    const now = clock.now();
    if (!p.enabled || p.expiresAt <= now.getTime()) {
      sendPage(res, 410, gonePage, head);
      return;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const query = q === -1 ? '' : url.slice(q + 1);
    // The day's salt is known but for the first click of a new day, which waits for it.
    const salt = hasher.salt(now);
    if (typeof salt === 'string') {
      capture(req, res, slug, target, p, query, now, salt);
      return;
    }
    salt.then(
      (s) => capture(req, res, slug, target, p, query, now, s),
      (err) => sendUnstored(res, slug, target, p, query, err),
    );
  }

  function lookupFailed(res: ServerResponse, slug: string, head: boolean, err: unknown): void {
    log.error({ err, slug }, 'link lookup failed');
    sendPage(res, 503, unavailablePage, head);
  }

  return function respond(req: IncomingMessage, res: ServerResponse, slug: string): void {
    const head = req.method === 'HEAD';
    if (slug.length > MAX_SLUG_LENGTH) {
      sendPage(res, 404, notFoundPage, head);
      return;
    }
    let found: RedirectTarget | undefined | Promise<RedirectTarget | undefined>;
    try {
      found = cache.get(slug);
    } catch (err) {
      lookupFailed(res, slug, head, err);
      return;
    }
    if (!(found instanceof Promise)) {
      answer(req, res, slug, found, head);
      return;
    }
    found.then(
      (target) => answer(req, res, slug, target, head),
      (err) => lookupFailed(res, slug, head, err),
    );
  };
}

export type Redirect = ReturnType<typeof createRedirect>;
