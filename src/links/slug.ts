import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for one another (no 0/o, 1/l/i). */
export const SLUG_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const GENERATED_SLUG_LENGTH = 7;
export const MAX_SLUG_LENGTH = 100;

/** First path segments that belong to the product itself and can never be a link. */
export const RESERVED_SLUGS = new Set([
  'api',
  'app',
  'docs',
  'healthz',
  'k.js',
  'static',
  'assets',
  'favicon.ico',
  'robots.txt',
  'sitemap.xml',
  'login',
  'signup',
  'admin',
  'well-known',
  '.well-known',
]);

const segment = /^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$/;

export type SlugProblem = { code: 'INVALID_SLUG' | 'SLUG_RESERVED'; message: string };

/**
 * Checks a vanity slug: lowercase letters, digits, `-` and `_`, with `/` between segments
 * (`krista/tiktok-0412`). Nothing is normalised: an uppercase letter, a Unicode look-alike, a
 * space or a `..` is refused, never silently changed into something else.
 */
export function slugProblem(slug: string): SlugProblem | undefined {
  if (slug.length === 0 || slug.length > MAX_SLUG_LENGTH) {
    return { code: 'INVALID_SLUG', message: `A slug has 1 to ${MAX_SLUG_LENGTH} characters` };
  }
  if (slug.startsWith('@')) return { code: 'SLUG_RESERVED', message: 'Slugs starting with @ are bio pages' };
  if (/[A-Z]/.test(slug)) return { code: 'INVALID_SLUG', message: 'Slugs are lowercase' };
  if (/[^\x21-\x7e]/.test(slug)) {
    return {
      code: 'INVALID_SLUG',
      message: 'Slugs use only a-z, 0-9, "-", "_" and "/" (no spaces or other characters)',
    };
  }
  const parts = slug.split('/');
  if (RESERVED_SLUGS.has(parts[0] as string)) {
    return { code: 'SLUG_RESERVED', message: `"${parts[0]}" is reserved by Kumppani` };
  }
  for (const part of parts) {
    if (!segment.test(part)) {
      return {
        code: 'INVALID_SLUG',
        message: 'Each part of a slug starts and ends with a letter or digit and uses only a-z, 0-9, "-" and "_"',
      };
    }
  }
  return undefined;
}

export function generateSlug(length = GENERATED_SLUG_LENGTH): string {
  let out = '';
  for (let i = 0; i < length; i++) out += SLUG_ALPHABET[randomInt(SLUG_ALPHABET.length)];
  return out;
}
