import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { parse as parseDomain } from 'tldts';

const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Normalises a hostname to its lowercase ASCII (punycode) form, or returns undefined when it is
 * not a public hostname: no scheme, port, path, IP address or single label.
 */
export function normaliseHostname(input: string): string | undefined {
  const trimmed = input.trim().replace(/\.$/, '');
  if (trimmed === '' || trimmed.length > 253 || /[/:@?#\s\\]/.test(trimmed)) return undefined;
  if (isIP(trimmed)) return undefined;
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (!ascii || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2) return undefined;
  if (!labels.every((l) => label.test(l))) return undefined;
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return undefined;
  return ascii;
}

/** True when `host` is one of the allowed domains or a subdomain of one. Both are ASCII. */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return allowed.some((d) => h === d || h.endsWith(`.${d}`));
}

/**
 * True when `host` is itself a public suffix — a name under which anyone may register or be
 * given a name (`co.uk`, `github.io`, `com`) — by the Public Suffix List, both its ICANN and its
 * private sections. Allowing one would let a program send visitors to any site beneath it.
 */
export function isPublicSuffix(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const parsed = parseDomain(h, { allowPrivateDomains: true, extractHostname: false });
  return parsed.publicSuffix === h || parsed.domain === null;
}

/** The shortest verifiable name of `host`: its registrable domain (`shop.example.co.uk` → `example.co.uk`). */
export function registrableDomain(host: string): string | null {
  return parseDomain(host.toLowerCase(), { allowPrivateDomains: true, extractHostname: false }).domain;
}
