import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets that Kumppani must read back (webhook signing secrets of shops) are stored sealed with
 * AES-256-GCM under a key derived from the instance secret. The row they belong to is bound in
 * as associated data, so a sealed value copied to another row or program does not open.
 */
const VERSION = 'v1';

function keyFor(instanceSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', instanceSecret, 'kumppani', 'stored-secrets', 32));
}

export function sealSecret(plain: string, instanceSecret: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(instanceSecret), iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

/** The plain secret, or an error if the value was altered, moved to another context or sealed under another instance secret. */
export function openSecret(sealed: string, instanceSecret: string, context: string): string {
  const [version, ivText, bodyText] = sealed.split('.');
  if (version !== VERSION || !ivText || !bodyText) throw new Error('not a sealed secret');
  const body = Buffer.from(bodyText, 'base64url');
  if (body.length < 16) throw new Error('not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', keyFor(instanceSecret), Buffer.from(ivText, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
}
