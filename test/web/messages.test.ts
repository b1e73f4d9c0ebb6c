import { parse } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.js';
import { fi } from '../../web/src/i18n/fi.js';

/** The names of a message's arguments and tags, from its ICU syntax. */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: ReturnType<typeof parse>) => {
    for (const node of nodes) {
      if ('value' in node && typeof node.value === 'string' && node.type !== 0) names.add(node.value);
      if ('options' in node) for (const option of Object.values(node.options)) walk(option.value);
      if ('children' in node) walk(node.children);
    }
  };
  walk(parse(message));
  return [...names].sort();
}

/** Messages that are the same word in both languages. */
const sameInBoth = new Set(['app.name', 'placement.bio']);

describe('the message catalogues', () => {
  it('have the same keys in English and Finnish', () => {
    expect(Object.keys(fi).sort()).toEqual(Object.keys(en).sort());
  });

  it('leave no Finnish message untranslated (equal to the English one)', () => {
    const untranslated = Object.entries(en).filter(
      ([key, text]) => !sameInBoth.has(key) && fi[key as keyof typeof en] === text,
    );
    expect(untranslated).toEqual([]);
  });

  it('give every message the same arguments and tags in both languages', () => {
    const differing = Object.entries(en).filter(
      ([key, text]) => argumentsOf(text).join() !== argumentsOf(fi[key as keyof typeof en]).join(),
    );
    expect(differing).toEqual([]);
  });

  it('are all valid ICU messages', () => {
    for (const text of [...Object.values(en), ...Object.values(fi)]) expect(() => parse(text)).not.toThrow();
  });
});
