import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, hashPassword, passwordWeakness, verifyPassword } from './password.js';

const fast = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct-horse-battery', fast);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('correct-horse-battery', hash)).toBe(true);
    expect(await verifyPassword('correct-horse-batterz', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same-password-1', fast)).not.toBe(await hashPassword('same-password-1', fast));
  });

  it('uses memory-hard defaults of at least 64 MiB', () => {
    expect(128 * DEFAULT_SCRYPT.N * DEFAULT_SCRYPT.r).toBeGreaterThanOrEqual(64 * 1024 * 1024);
  });

  it('treats a malformed stored hash as a wrong password', async () => {
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
  });

  it('verifies a hash made with other parameters (they are stored with it)', async () => {
    const hash = await hashPassword('correct-horse-battery', { N: 2 ** 11, r: 4, p: 2 });
    expect(await verifyPassword('correct-horse-battery', hash)).toBe(true);
  });
});

describe('passwordWeakness', () => {
  it.each([
    ['correct-horse-battery', undefined, undefined],
    ['short', undefined, 'Passwords need at least 10 characters'],
    ['abababababab', undefined, 'Passwords need at least 5 different characters'],
    ['qwertyuiop', undefined, 'This password is among the most common ones'],
    ['kristaphotos!2026', 'kristaphotos@example.com', 'Passwords must not contain your email name'],
    ['x'.repeat(300), undefined, 'Passwords may have at most 256 characters'],
  ])('%j → %j', (password, email, weakness) => {
    expect(passwordWeakness(password, email)).toBe(weakness);
  });
});
