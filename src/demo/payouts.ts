import type { Db, Dialect } from '../db/database.js';
import { invoicesService } from '../invoices/service.js';
import { payoutServices } from '../payouts/index.js';
import type { PayoutProfileInput } from '../payouts/schemas.js';
import type { Clock } from '../shared/clock.js';
import { trustedScope } from '../shared/principal.js';
import type { Random } from './random.js';

export interface PayoutsSummary {
  profiles: number;
  runs: number;
  paid: number;
  failed: number;
}

/** An IBAN of the country with its check digits computed (ISO 13616, mod 97). */
function iban(country: 'FI' | 'DE' | 'SE', rng: Random): string {
  const length = { FI: 14, DE: 18, SE: 20 }[country];
  let bban = '';
  for (let i = 0; i < length; i++) bban += String(rng.int(0, 9));
  const letters = [...country].map((c) => String(c.charCodeAt(0) - 55)).join('');
  let rem = 0;
  for (const d of `${bban}${letters}00`) rem = (rem * 10 + Number(d)) % 97;
  return `${country}${String(98 - rem).padStart(2, '0')}${bban}`;
}

const bics = { FI: 'NDEAFIHH', DE: 'COBADEFFXXX', SE: 'ESSESESS' } as const;

/**
 * The demo's payouts, through the payout services: every approved creator's payout profile (SEPA
 * in Finland, Germany and Sweden, one Swede on Wise in kronor, Americans on PayPal or Stripe with
 * their W-9), each program's payout settings (the Finnish brand monthly on the 1st, the American
 * brand by hand, asking for tax forms), and a completed payout run a week ago: all paid with
 * the bank's reference but one, which the bank returned (account closed). Every creator has agreed
 * to self-billing and every brand has its invoicing details, so each payout has its invoice.
 */
export async function loadDemoPayouts(
  deps: { db: Db; clock: Clock; rng: Random; secret: string; dialect: Dialect },
  demo: { programs: { id: string; workspaceId: string }[] },
): Promise<PayoutsSummary> {
  const { db, clock, rng } = deps;
  const services = payoutServices({ db, clock, secret: deps.secret, dialect: deps.dialect });
  const summary: PayoutsSummary = { profiles: 0, runs: 0, paid: 0, failed: 0 };
  const invoices = invoicesService({ db, clock });
  const creators = await db
    .selectFrom('creators')
    .select(['id', 'name', 'email', 'country'])
    .where('id', 'in', db.selectFrom('enrollments').select('creator_id').where('status', '=', 'approved'))
    .orderBy('id')
    .execute();
  let swedes = 0;
  for (const c of creators) {
    const country = (c.country ?? 'FI') as 'FI' | 'DE' | 'SE' | 'US';
    const tax = {
      legalName: c.name,
      address: {
        line1: country === 'US' ? `${rng.int(10, 999)} Main Street` : `Esimerkkikatu ${rng.int(1, 99)}`,
        postalCode: country === 'US' ? '10001' : '00100',
        city: country === 'US' ? 'New York' : country === 'FI' ? 'Helsinki' : country === 'DE' ? 'Berlin' : 'Stockholm',
        country,
      },
      vatRegistered: rng.chance(0.2),
      ...(country === 'US' ? { taxForm: 'w9' as const, taxFormReceivedAt: clock.now().toISOString() } : {}),
    };
    let input: PayoutProfileInput;
    if (country === 'US') {
      input = rng.chance(0.5)
        ? { method: 'paypal', paypalEmail: c.email, ...tax }
        : { method: 'stripe', stripeAccountId: `acct_1Demo${c.id.slice(-10)}`, ...tax };
    } else if (country === 'SE' && swedes++ === 0) {
      input = { method: 'wise', iban: iban('SE', rng), accountName: c.name, currency: 'SEK', ...tax };
    } else {
      input = { method: 'sepa', iban: iban(country, rng), bic: bics[country], accountName: c.name, ...tax };
    }
    await services.profiles.put(c.id, input);
    // Every demo creator has agreed to self-billing: each payout comes with its invoice.
    await invoices.consent(c.id, 'demo');
    summary.profiles++;
  }

  for (const program of demo.programs) {
    const scope = trustedScope(program.workspaceId);
    const settings = await services.settings.get(scope, program.id);
    const euros = settings.currency === 'EUR';
    const workspace = await db
      .selectFrom('workspaces')
      .select('name')
      .where('id', '=', program.workspaceId)
      .executeTakeFirstOrThrow();
    await invoices.putBilling(
      scope,
      euros
        ? {
            legalName: `${workspace.name} Oy`,
            address: { line1: 'Mannerheimintie 10', postalCode: '00100', city: 'Helsinki', country: 'FI' },
            businessId: '3141592-6',
            vatNumber: 'FI31415926',
          }
        : {
            legalName: `${workspace.name} Inc.`,
            address: {
              line1: '500 Market Street',
              postalCode: '94105',
              city: 'San Francisco',
              region: 'CA',
              country: 'US',
            },
          },
    );
    await services.settings.put(
      scope,
      program.id,
      euros
        ? { allowedMethods: ['sepa', 'wise', 'paypal', 'manual'], schedule: 'monthly', scheduleDay: 1 }
        : { allowedMethods: ['paypal', 'stripe', 'manual'], schedule: 'manual', requireTaxForm: true },
    );
    const cutoff = new Date(clock.now().getTime() - 7 * 86_400_000).toISOString();
    const run = await services.runs.run(
      scope,
      program.id,
      { cutoff },
      { trigger: 'api', actor: 'demo', withCommissionIds: false },
    );
    summary.runs++;
    const [returned, ...rest] = run.data.filter((p) => p.method === 'sepa');
    const others = run.data.filter((p) => p.method !== 'sepa');
    for (const p of [...rest, ...others]) {
      if (!p.id) continue;
      await services.lifecycle.markPaid(
        scope,
        p.id,
        'demo',
        `DEMO-${cutoff.slice(0, 10)}-${p.id.slice(-6).toUpperCase()}`,
      );
      summary.paid++;
    }
    if (returned?.id) {
      await services.lifecycle.fail(scope, returned.id, 'demo', 'bank_return', 'AC04 account closed');
      summary.failed++;
    }
  }
  return summary;
}
