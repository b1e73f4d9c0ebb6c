import { monotonicFactory } from 'ulid';

/** The closed list of id prefixes. An id is `<prefix>_<ULID>`: unique and sortable by time. */
export const idPrefixes = {
  user: 'usr',
  workspace: 'ws',
  membership: 'mem',
  session: 'ses',
  apiKey: 'key',
  creator: 'cr',
  socialAccount: 'soc',
  program: 'prg',
  product: 'prd',
  enrollment: 'enr',
  enrollmentEvent: 'ene',
  link: 'lnk',
  linkChange: 'lch',
  click: 'clk',
  content: 'cnt',
  code: 'cpn',
  customer: 'cus',
  conversion: 'cnv',
  commission: 'com',
  payout: 'po',
  request: 'req',
} as const;

export type IdKind = keyof typeof idPrefixes;

const ulid = monotonicFactory();

export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${idPrefixes[kind]}_${ulid(now).toLowerCase()}`;
}

const ulidPattern = '[0-9a-hjkmnp-tv-z]{26}';

export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${idPrefixes[kind]}_${ulidPattern}$`);
}

export function isId(kind: IdKind, value: string): boolean {
  return idPattern(kind).test(value);
}
