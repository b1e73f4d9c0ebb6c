import { type Brand, type CreatorAccount, call, createCode, createProgram, type TestApp } from '../helpers/app.js';
import { brandAccount, type PayoutWorld } from '../payouts/world.js';

export const brandBilling = {
  legalName: 'Revontuli Active Oy',
  address: { line1: 'Aleksanterinkatu 1', postalCode: '00100', city: 'Helsinki', country: 'FI' },
  businessId: '1234567-8',
  vatNumber: 'FI12345678',
};

export async function setBrandBilling(t: TestApp, brand: Brand, body: object = brandBilling) {
  const res = await call(t.app, brand.token, { method: 'PUT', url: '/api/v1/workspace/billing', payload: body });
  if (res.statusCode !== 200) throw new Error(`billing failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function consent(t: TestApp, creator: { token: string }) {
  return call(t.app, creator.token, {
    method: 'POST',
    url: '/api/v1/creators/me/self-billing-consent',
    payload: { agree: true },
  });
}

export async function requireSelfBilling(t: TestApp, brand: Brand, programId: string) {
  const res = await call(t.app, brand.token, {
    method: 'PUT',
    url: `/api/v1/programs/${programId}/payout-settings`,
    payload: { requireSelfBilling: true },
  });
  if (res.statusCode !== 200) throw new Error(`settings failed: ${res.statusCode} ${res.body}`);
}

/** Invoicing details of a creator in a country, VAT-registered or not. */
export function invoicing(country: string, vatRegistered: boolean, extra: object = {}) {
  return {
    legalName: `Sisältö ${country} Tmi`,
    address: { line1: 'Katu 5 B 12', postalCode: '40100', city: 'Jyväskylä', country },
    businessId: '7654321-0',
    vatRegistered,
    ...(vatRegistered ? { vatNumber: `${country}99887766` } : {}),
    ...extra,
  };
}

/** A second program of the world's brand, with the same creators enrolled and given codes. */
export async function secondProgram(t: TestApp, w: PayoutWorld): Promise<PayoutWorld> {
  const program = await createProgram(t.app, w.brand.token, {
    name: 'Second Program',
    currency: 'EUR',
    allowedDomains: ['shop.example.com'],
    defaultRate: { type: 'percent', bps: 1000 },
    holdingDays: 0,
    minPayoutAmount: 5000,
    payoutAccount: brandAccount,
  });
  const creators: (CreatorAccount & { code: string })[] = [];
  for (const c of w.creators) {
    const invite = await call(t.app, w.brand.token, {
      method: 'POST',
      url: `/api/v1/programs/${program.id}/enrollments`,
      payload: { creatorEmail: c.email },
    });
    await call(t.app, c.token, {
      method: 'PATCH',
      url: `/api/v1/enrollments/${invite.json().id}`,
      payload: { status: 'approved' },
    });
    const code = `${c.code.slice(0, 16)}B2`;
    await createCode(t.app, w.brand.token, program.id, {
      creatorId: c.creatorId,
      code,
      discount: { type: 'percent', bps: 1000 },
    });
    creators.push({ ...c, code });
  }
  return { brand: w.brand, programId: program.id, currency: 'EUR', creators };
}
