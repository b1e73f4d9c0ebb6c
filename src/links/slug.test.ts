import { describe, expect, it } from 'vitest';
import { generateSlug, SLUG_ALPHABET, slugProblem } from './slug.js';

describe('slugProblem', () => {
  it.each(['krista', 'krista/tiktok-0412', 'dana_vaughan', 'a', 'summer-sale/2026/bio', 'x9'])('accepts %j', (slug) => {
    expect(slugProblem(slug)).toBeUndefined();
  });

  it.each([
    ['', 'INVALID_SLUG'],
    ['Krista', 'INVALID_SLUG'],
    ['KRISTA', 'INVALID_SLUG'],
    ['krista tiktok', 'INVALID_SLUG'],
    ['kristа', 'INVALID_SLUG'], // Cyrillic а
    ['ｋrista', 'INVALID_SLUG'], // fullwidth k
    ['../admin', 'INVALID_SLUG'],
    ['krista/../api', 'INVALID_SLUG'],
    ['krista//x', 'INVALID_SLUG'],
    ['/krista', 'INVALID_SLUG'],
    ['krista/', 'INVALID_SLUG'],
    ['-krista', 'INVALID_SLUG'],
    ['krista%2f..', 'INVALID_SLUG'],
    ['krista.tiktok', 'INVALID_SLUG'],
    ['x'.repeat(101), 'INVALID_SLUG'],
    ['api', 'SLUG_RESERVED'],
    ['api/v1/programs', 'SLUG_RESERVED'],
    ['docs', 'SLUG_RESERVED'],
    ['healthz', 'SLUG_RESERVED'],
    ['app/x', 'SLUG_RESERVED'],
    ['@krista', 'SLUG_RESERVED'],
  ])('refuses %j with %s', (slug, code) => {
    expect(slugProblem(slug)?.code).toBe(code);
  });
});

describe('generateSlug', () => {
  it('makes short slugs from the unambiguous alphabet that pass the rules', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const slug = generateSlug();
      expect(slug).toHaveLength(7);
      expect([...slug].every((c) => SLUG_ALPHABET.includes(c))).toBe(true);
      expect(slugProblem(slug)).toBeUndefined();
      seen.add(slug);
    }
    expect(seen.size).toBe(500);
  });
});
