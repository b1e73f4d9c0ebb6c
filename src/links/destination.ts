import { hostAllowed } from '../shared/domains.js';

export const MAX_DESTINATION_LENGTH = 2048;

export type DestinationProblem = { code: 'INVALID_DESTINATION' | 'DESTINATION_NOT_ALLOWED'; message: string };

/**
 * A destination must be an absolute http(s) URL without credentials, at most 2,048 characters
 * as given and as stored, on one of the program's allowed domains or a subdomain of one. The host is compared in its
 * ASCII (punycode) form, so a look-alike of an allowed host is a different host.
 */
export function destinationProblem(input: string, allowedDomains: readonly string[]): DestinationProblem | undefined {
  if (input.length > MAX_DESTINATION_LENGTH) {
    return { code: 'INVALID_DESTINATION', message: `A destination has at most ${MAX_DESTINATION_LENGTH} characters` };
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { code: 'INVALID_DESTINATION', message: 'The destination is not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { code: 'INVALID_DESTINATION', message: 'Only http and https destinations are allowed' };
  }
  if (url.username || url.password) {
    return { code: 'INVALID_DESTINATION', message: 'A destination may not carry a user name or password' };
  }
  // What is stored is the URL as parsed, with non-ASCII characters percent-encoded: a short
  // input can grow several times over, so the limit holds for that form too.
  if (url.href.length > MAX_DESTINATION_LENGTH) {
    return {
      code: 'INVALID_DESTINATION',
      message: `A destination has at most ${MAX_DESTINATION_LENGTH} characters once encoded (this one has ${url.href.length})`,
    };
  }
  if (!hostAllowed(url.hostname, allowedDomains)) {
    return {
      code: 'DESTINATION_NOT_ALLOWED',
      message: `${url.hostname} is not one of the program's allowed domains (${allowedDomains.join(', ')})`,
    };
  }
  return undefined;
}

/** UTM parameters; on a link, null leaves out a parameter the program would add. */
export interface Utm {
  source?: string | null | undefined;
  medium?: string | null | undefined;
  campaign?: string | null | undefined;
  content?: string | null | undefined;
  term?: string | null | undefined;
}

const utmKeys = ['source', 'medium', 'campaign', 'content', 'term'] as const;

/**
 * The URL a visitor is sent to: the destination with its own query and fragment kept, UTM
 * parameters it does not already have, the visitor's own query parameters passed through (they
 * never replace the destination's), and `kclid` set last.
 */
export function redirectLocation(
  destination: string,
  utm: Utm | null,
  incoming: URLSearchParams,
  clickId: string | null,
): string {
  const url = new URL(destination);
  const params = url.searchParams;
  if (utm) {
    for (const key of utmKeys) {
      const value = utm[key];
      if (value && !params.has(`utm_${key}`)) params.set(`utm_${key}`, value);
    }
  }
  for (const [key, value] of incoming) {
    if (key === 'kclid' || key === 'via' || params.has(key)) continue;
    params.append(key, value);
  }
  if (clickId) params.set('kclid', clickId);
  else params.delete('kclid');
  return url.toString();
}
