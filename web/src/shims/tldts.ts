/**
 * The browser's stand-in for the Public Suffix List (tldts), which is too large to ship to every
 * visitor: it treats the last label as the suffix. A name such as co.uk therefore passes the form
 * and is refused by the server, whose answer is shown on the same field.
 */
export function parse(host: string): { publicSuffix: string | null; domain: string | null } {
  const labels = host.split('.');
  if (labels.length < 2) return { publicSuffix: host, domain: null };
  return { publicSuffix: labels[labels.length - 1] ?? null, domain: labels.slice(-2).join('.') };
}
