import { createHmac, randomBytes } from 'node:crypto';

/**
 * Session tokens and API keys are random, shown once, and stored only as an HMAC keyed with the
 * instance secret: a copy of the database alone cannot be used to sign in.
 */
export const SESSION_PREFIX = 'kps_';
export const API_KEY_PREFIX = 'kpk_';
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export function newSessionToken(): string {
  return SESSION_PREFIX + randomBytes(32).toString('base64url');
}

export function newApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** The visible part of a key, enough to tell keys apart in a list: `kpk_AbCd1234`. */
export function keyPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 8);
}

export function hashToken(secret: string, token: string): string {
  return createHmac('sha256', secret).update(token).digest('base64url');
}
