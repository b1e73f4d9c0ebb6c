import { randomBytes } from 'node:crypto';

/** Where the seeded links send visitors. */
export const DESTINATION = 'https://shop.example.com/products/synergy-leggings?color=black';

/** One JSON call to a running server; throws on any answer of 300 or more. */
export async function api(base: string, method: string, url: string, token: string | undefined, body?: object) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export interface Seeded {
  slug: string;
  linkId: string;
  statsLinkId: string;
  programId: string;
  creatorId: string;
  token: string;
  destination: string;
}

/** A brand, a program on shop.example.com, an approved creator and two links, made through the API. */
export async function seed(base: string): Promise<Seeded> {
  const tag = randomBytes(4).toString('hex');
  const brand = await api(base, 'POST', '/api/v1/auth/signup', undefined, {
    email: `brand-${tag}@example.com`,
    password: 'correct-horse-battery',
    name: 'Bench Brand',
    kind: 'brand',
    workspaceName: 'Bench Oy',
  });
  const program = await api(base, 'POST', '/api/v1/programs', brand.token, {
    name: 'Bench program',
    currency: 'EUR',
    allowedDomains: ['shop.example.com'],
    defaultRate: { type: 'percent', bps: 1500 },
    utmDefaults: { source: 'kumppani', medium: 'creator' },
  });
  const creator = await api(base, 'POST', '/api/v1/auth/signup', undefined, {
    email: `creator-${tag}@example.com`,
    password: 'correct-horse-battery',
    name: 'Bench Creator',
    kind: 'creator',
  });
  const invite = await api(base, 'POST', `/api/v1/programs/${program.id}/enrollments`, brand.token, {
    creatorEmail: `creator-${tag}@example.com`,
  });
  await api(base, 'PATCH', `/api/v1/enrollments/${invite.id}`, creator.token, { status: 'approved' });
  const link = await api(base, 'POST', '/api/v1/links', creator.token, {
    programId: program.id,
    slug: `bench/tiktok-${tag}`,
    destinationUrl: DESTINATION,
    placement: 'caption',
  });
  const statsLink = await api(base, 'POST', '/api/v1/links', creator.token, {
    programId: program.id,
    destinationUrl: DESTINATION,
    placement: 'bio',
  });
  return {
    slug: link.slug,
    linkId: link.id,
    statsLinkId: statsLink.id,
    programId: program.id,
    creatorId: creator.creator.id,
    token: creator.token,
    destination: DESTINATION,
  };
}
