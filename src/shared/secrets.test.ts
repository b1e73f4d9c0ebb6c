import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from './secrets.js';

const instance = 'instance-secret-0123456789abcdefghijklmnop';

describe('sealed secrets', () => {
  it('opens what it sealed, and never shows the secret in the sealed form', () => {
    const sealed = sealSecret('whsec_abc123', instance, 'integration:prg_1:stripe');
    expect(sealed).not.toContain('whsec_abc123');
    expect(sealed).toMatch(/^v1\./);
    expect(openSecret(sealed, instance, 'integration:prg_1:stripe')).toBe('whsec_abc123');
    expect(sealSecret('whsec_abc123', instance, 'integration:prg_1:stripe')).not.toBe(sealed);
  });

  it('refuses an altered value, another context and another instance secret', () => {
    const sealed = sealSecret('shpss_secret', instance, 'integration:prg_1:shopify');
    const last = sealed.at(-2) === 'A' ? 'B' : 'A';
    expect(() =>
      openSecret(`${sealed.slice(0, -2)}${last}${sealed.at(-1)}`, instance, 'integration:prg_1:shopify'),
    ).toThrow();
    expect(() => openSecret(sealed, instance, 'integration:prg_2:shopify')).toThrow();
    expect(() => openSecret(sealed, `${instance}x`, 'integration:prg_1:shopify')).toThrow();
    expect(() => openSecret('garbage', instance, 'integration:prg_1:shopify')).toThrow();
  });
});
