import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClickRecord } from './click.js';
import { decodeClicks, encodeClicks } from './wire.js';

const withoutSeparators = (s: string) => s.split('\u001e').join('').split('\u001f').join('');
const text = fc.string({ minLength: 1, maxLength: 30 }).map(withoutSeparators);
const click: fc.Arbitrary<ClickRecord> = fc.record({
  id: text,
  linkId: text,
  programId: text,
  creatorId: text,
  contentId: fc.option(
    text.filter((s) => s !== ''),
    { nil: null },
  ),
  placement: fc.constantFrom('bio', 'caption', 'comment', 'story', 'qr', 'other'),
  at: fc.date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }),
  visitorHash: text,
  device: text,
  browser: fc.string({ maxLength: 20 }).map(withoutSeparators),
  os: text,
  country: text,
  referrer: text,
  isBot: fc.boolean(),
});

describe('the click batch wire format', () => {
  it('gives back exactly the clicks it was given', () => {
    fc.assert(
      fc.property(fc.array(click, { maxLength: 20 }), (clicks) => {
        expect(decodeClicks(encodeClicks(clicks))).toEqual(clicks);
      }),
    );
  });
});
