import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commissionsService } from '../../src/commissions/service.js';
import { systemClock } from '../../src/shared/clock.js';
import {
  approvedCreator,
  type Brand,
  type CreatorAccount,
  call,
  createCode,
  createProgram,
  signupBrand,
  type TestApp,
} from '../helpers/app.js';

/** IBANs with valid check digits (the banks' own published examples). */
export const ibans = {
  fi: 'FI2112345600000785',
  de: 'DE89370400440532013000',
  fr: 'FR1420041010050500013M02606',
  nl: 'NL91ABNA0417164300',
  be: 'BE68539007547034',
  es: 'ES9121000418450200051332',
};

let accounts = 0;

/** A German IBAN no other test uses, with its check digits computed (ISO 13616, mod 97). */
export function freshIban(): string {
  accounts++;
  const bban = `37040044${String(Date.now() % 1e6).padStart(6, '0')}${String(accounts % 1e4).padStart(4, '0')}`;
  const digits = `${bban}131400`; // D = 13, E = 14, then 00
  let rem = 0;
  for (const d of digits) rem = (rem * 10 + Number(d)) % 97;
  return `DE${String(98 - rem).padStart(2, '0')}${bban}`;
}

export const brandAccount = { iban: 'FI4950009420028730', bic: 'OKOYFIHH', name: 'Revontuli Active Oy' };

export interface PayoutWorld {
  brand: Brand;
  programId: string;
  currency: string;
  creators: (CreatorAccount & { code: string })[];
}

let orders = 0;

/**
 * A brand with a euro program that approves at once (no holding days), and creators with codes who
 * have agreed to self-billing (every payout comes with an invoice), unless `selfBillingConsent: false`.
 */
export async function payoutWorld(
  t: TestApp,
  options: {
    creators: number;
    minPayoutAmount?: number;
    currency?: string;
    payoutAccount?: object | null;
    selfBillingConsent?: boolean;
  } = {
    creators: 2,
  },
): Promise<PayoutWorld> {
  const brand = await signupBrand(t.app, 'Payout Brand');
  const program = await createProgram(t.app, brand.token, {
    name: 'Payout Program',
    currency: options.currency ?? 'EUR',
    allowedDomains: ['shop.example.com'],
    defaultRate: { type: 'percent', bps: 1000 },
    holdingDays: 0,
    minPayoutAmount: options.minPayoutAmount ?? 5000,
    ...(options.payoutAccount === null ? {} : { payoutAccount: options.payoutAccount ?? brandAccount }),
  });
  const creators: PayoutWorld['creators'] = [];
  for (let i = 0; i < options.creators; i++) {
    const c = await approvedCreator(t.app, brand.token, program.id, `Creator ${i} Äänekoski`);
    const code = `PAY${i}${Date.now().toString(36).toUpperCase()}${orders++}`.slice(0, 20);
    await createCode(t.app, brand.token, program.id, {
      creatorId: c.creatorId,
      code,
      discount: { type: 'percent', bps: 1000 },
    });
    if (options.selfBillingConsent !== false) {
      const consent = await call(t.app, c.token, {
        method: 'POST',
        url: '/api/v1/creators/me/self-billing-consent',
        payload: { agree: true },
      });
      if (consent.statusCode !== 201) throw new Error(`consent failed: ${consent.statusCode} ${consent.body}`);
    }
    creators.push({ ...c, code });
  }
  return { brand, programId: program.id, currency: program.currency, creators };
}

/** A sale by the creator's code earning 10 % of `amount`; returns its commission id and order id. */
export async function sale(t: TestApp, w: PayoutWorld, creator: { code: string }, amount: number) {
  const orderId = `order-${++orders}-${Date.now()}`;
  const res = await call(t.app, w.brand.token, {
    method: 'POST',
    url: '/api/v1/track/sale',
    payload: {
      programId: w.programId,
      orderId,
      currency: w.currency,
      couponCode: creator.code,
      lines: [{ productId: 'p1', amount, quantity: 1 }],
    },
  });
  if (res.statusCode !== 201) throw new Error(`sale failed: ${res.statusCode} ${res.body}`);
  return { orderId, commissionId: res.json().conversion.commissions[0]?.id as string };
}

export async function refund(t: TestApp, w: PayoutWorld, orderId: string, amount: number) {
  const res = await call(t.app, w.brand.token, {
    method: 'POST',
    url: '/api/v1/track/refund',
    payload: { programId: w.programId, orderId, refundId: `${orderId}-r${++orders}`, amount },
  });
  if (res.statusCode >= 300) throw new Error(`refund failed: ${res.statusCode} ${res.body}`);
}

/** Approves every commission whose (zero) holding period has ended. */
export async function approveAll(t: TestApp): Promise<number> {
  return commissionsService({ db: t.database.handle.db, clock: systemClock }).approveDue(new Date(Date.now() + 1000));
}

export async function sepaProfile(t: TestApp, creator: { token: string }, iban: string, extra: object = {}) {
  const res = await call(t.app, creator.token, {
    method: 'PUT',
    url: '/api/v1/creators/me/payout-profile',
    payload: { method: 'sepa', iban, bic: 'NDEAFIHH', accountName: 'Jyrki Äänekoski-Ström & Co', ...extra },
  });
  if (res.statusCode !== 200) throw new Error(`profile failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function runPayouts(t: TestApp, w: PayoutWorld, body: object = {}) {
  return call(t.app, w.brand.token, { method: 'POST', url: `/api/v1/programs/${w.programId}/payouts`, payload: body });
}

const schemaDir = fileURLToPath(new URL('../fixtures/iso20022/', import.meta.url));

/** Validates a SEPA file against its ISO 20022 schema with xmllint; throws with xmllint's words if invalid. */
export function validateSepa(xml: string, version: '09' | '03'): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'kumppani-sepa-'));
  const file = path.join(dir, 'payouts.xml');
  writeFileSync(file, xml);
  execFileSync('xmllint', ['--noout', '--schema', path.join(schemaDir, `pain.001.001.${version}.xsd`), file], {
    stdio: 'pipe',
  });
}
