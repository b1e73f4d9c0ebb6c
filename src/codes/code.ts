import { randomInt } from 'node:crypto';

export const MIN_CODE_LENGTH = 3;
export const MAX_CODE_LENGTH = 32;
/** Capitals and digits that cannot be mistaken for one another when read aloud or typed (no 0/O, 1/I/L). */
const GENERATED_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** The form codes are compared in: capitals, so `krista20` and `KRISTA20` are one code. */
export function codeKey(code: string): string {
  return code.toUpperCase();
}

/**
 * Checks a vanity code as shoppers will type it at checkout: letters A–Z, digits, `-` and `_`,
 * starting with a letter or digit. Nothing is changed silently: a space, an accent or a
 * look-alike letter is refused.
 */
export function codeProblem(code: string): string | undefined {
  if (code.length < MIN_CODE_LENGTH || code.length > MAX_CODE_LENGTH) {
    return `A code has ${MIN_CODE_LENGTH} to ${MAX_CODE_LENGTH} characters`;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(code)) {
    return 'A code uses only the letters A-Z, digits, "-" and "_", and starts with a letter or digit';
  }
  return undefined;
}

/** A code from the creator's name and four random characters, e.g. `KRISTA-7QMX`. */
export function generateCode(creatorName: string): string {
  const name = creatorName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '')
    .slice(0, 10);
  let suffix = '';
  for (let i = 0; i < 4; i++) suffix += GENERATED_ALPHABET[randomInt(GENERATED_ALPHABET.length)];
  return name.length >= 2 ? `${name}-${suffix}` : `CODE-${suffix}`;
}
