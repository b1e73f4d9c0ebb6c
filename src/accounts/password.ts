import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing with scrypt from node:crypto (memory-hard). The default parameters are one
 * of OWASP's recommended scrypt settings (N=2^16, r=8, p=1: 64 MiB) and are stored beside each
 * hash, so they can be raised later without breaking existing accounts.
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 16, r: 8, p: 1 };
const KEY_LENGTH = 32;
const MAX_MEMORY = 256 * 1024 * 1024;

function scrypt(password: string, salt: Buffer, n: number, rr: number, pp: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFKC'), salt, KEY_LENGTH, { N: n, r: rr, p: pp, maxmem: MAX_MEMORY }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = params;
  const key = await scrypt(password, salt, N, r, p);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, rr, pp, salt, key] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), Number(n), Number(rr), Number(pp));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a random password, verified against when an email is unknown so that timing tells nothing. */
const decoys = new Map<string, Promise<string>>();
export function decoy(params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const key = `${params.N}/${params.r}/${params.p}`;
  let hash = decoys.get(key);
  if (!hash) {
    hash = hashPassword(randomBytes(16).toString('hex'), params);
    decoys.set(key, hash);
  }
  return hash;
}

const common = new Set([
  'password',
  'password1',
  'password123',
  'passw0rd',
  '123456789',
  '1234567890',
  '12345678',
  'qwertyuiop',
  'qwerty123',
  'iloveyou',
  'letmein123',
  'welcome123',
  'admin12345',
  'salasana',
  'salasana123',
  'kumppani',
  'kumppani123',
]);

export const PASSWORD_RULE =
  'Passwords need at least 10 characters, at least 5 different characters, and must not be a common password or contain your email name';

/** Returns why a password is too weak, or undefined when it is acceptable. */
export function passwordWeakness(password: string, email?: string): string | undefined {
  if (password.length < 10) return 'Passwords need at least 10 characters';
  if (password.length > 256) return 'Passwords may have at most 256 characters';
  if (new Set(password).size < 5) return 'Passwords need at least 5 different characters';
  const lower = password.toLowerCase();
  if (common.has(lower)) return 'This password is among the most common ones';
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'Passwords must not contain your email name';
  return undefined;
}
