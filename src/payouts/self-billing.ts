/**
 * Self-billing invoices, issued as a payout run writes its payouts: the brand issues each
 * payout's invoice in the creator's name (the creator agreed to this once). Numbers run without
 * gaps per creator and brand: they are taken in the run's own transaction, from one row per
 * creator and brand that the run updates (and so locks, in creator order) until it commits; a run
 * that rolls back gives its numbers back with everything else.
 */
import { percentOf } from '../commissions/arithmetic.js';
import type { DbOrTx } from '../db/database.js';
import { sql } from '../db/kysely.js';
import type { VatTreatment } from '../db/schema.js';
import { AppError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';

/** The member states of the European Union, by ISO 3166 code. */
// biome-ignore format: one table
export const euCountries = new Set([
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU',
  'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
]);

/** Standard VAT rates in basis points (2025), for a VAT-registered creator who gave no rate. */
// biome-ignore format: one table
export const standardVatBps: Readonly<Record<string, number>> = {
  AT: 2000, BE: 2100, BG: 2000, CY: 1900, CZ: 2100, DE: 1900, DK: 2500, EE: 2400, ES: 2100,
  FI: 2550, FR: 2000, GR: 2400, HR: 2500, HU: 2700, IE: 2300, IT: 2200, LT: 2100, LU: 1700,
  LV: 2100, MT: 1800, NL: 2100, PL: 2300, PT: 2300, RO: 2100, SE: 2500, SI: 2200, SK: 2300,
};

/** One party of an invoice as it was when the invoice was issued. */
export interface InvoiceParty {
  name: string;
  address: { line1: string; line2?: string; postalCode: string; city: string; region?: string; country: string } | null;
  country: string | null;
  businessId: string | null;
  vatNumber: string | null;
  vatRegistered?: boolean;
}

/**
 * How VAT applies to a creator's invoice to a brand: none when the creator is not VAT-registered;
 * reverse charge when both are in the EU in different countries (the brand accounts for the VAT);
 * otherwise VAT added at the creator's rate (the standard rate of their country unless they gave one).
 */
export function vatTreatmentOf(
  seller: { vatRegistered: boolean; country: string | null; vatRateBps: number | null },
  buyer: { country: string | null },
): { treatment: VatTreatment; rateBps: number } {
  if (!seller.vatRegistered) return { treatment: 'not_vat_registered', rateBps: 0 };
  const sc = seller.country;
  const bc = buyer.country;
  if (sc && bc && sc !== bc && euCountries.has(sc) && euCountries.has(bc)) {
    return { treatment: 'reverse_charge', rateBps: 0 };
  }
  return { treatment: 'vat_added', rateBps: seller.vatRateBps ?? (sc ? (standardVatBps[sc] ?? 0) : 0) };
}

/** The VAT on a net amount: `rateBps` of it, rounded half to even like every amount. */
export function vatOf(net: number, rateBps: number): number {
  return rateBps === 0 ? 0 : percentOf(net, rateBps);
}

type Address = InvoiceParty['address'];
const parseAddress = (text: string | null): Address => (text ? (JSON.parse(text) as Address) : null);

/** The creator's country for VAT: the one given, else the address's. */
export const sellerCountry = (p: { country: string | null; address: string | null }): string | null =>
  p.country ?? parseAddress(p.address)?.country ?? null;

/**
 * What a payout of `net` commissions pays on top for VAT: the VAT of its self-billing invoice when
 * that invoice adds VAT (a VAT-registered creator at home), else nothing. The creator is paid the
 * invoice's total, `net + vatAmount`; the ledger's entries stay `net`. The run, its dry run and the
 * invoice all take the figure from here.
 */
export function payoutVat(
  net: number,
  seller: {
    vat_registered: number | null;
    vat_rate_bps: number | null;
    country: string | null;
    address: string | null;
  },
  buyer: { country: string | null },
): { treatment: VatTreatment; rateBps: number; vatAmount: number } {
  const vat = vatTreatmentOf(
    { vatRegistered: seller.vat_registered === 1, country: sellerCountry(seller), vatRateBps: seller.vat_rate_bps },
    buyer,
  );
  return { ...vat, vatAmount: vat.treatment === 'vat_added' ? vatOf(net, vat.rateBps) : 0 };
}

/** The brand's side of an invoice, from its workspace's invoicing details. */
export async function brandParty(db: DbOrTx, workspaceId: string): Promise<InvoiceParty & { complete: boolean }> {
  const w = await db
    .selectFrom('workspaces')
    .select(['name', 'country', 'billing_legal_name', 'billing_address', 'billing_business_id', 'billing_vat_number'])
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  const address = parseAddress(w.billing_address);
  return {
    name: w.billing_legal_name ?? w.name,
    address,
    country: address?.country ?? w.country,
    businessId: w.billing_business_id,
    vatNumber: w.billing_vat_number,
    complete: Boolean(w.billing_legal_name && address),
  };
}

const CHUNK = 500;

/**
 * Issues the invoice of every payout of the run, in the run's transaction (the run pays only
 * creators who agreed to self-billing). Answers how many were issued.
 */
export async function issueInvoicesOfRun(tx: DbOrTx, runId: string, workspaceId: string, at: string): Promise<number> {
  const consenting = tx
    .selectFrom('payouts as p')
    .innerJoin('self_billing_consents as sb', 'sb.creator_id', 'p.creator_id')
    .where('p.run_id', '=', runId);
  // One payout per creator in a run: each sequence row moves by one, taken in creator order so
  // that two runs of one brand at once wait for each other rather than deadlock.
  await tx
    .insertInto('invoice_sequences')
    .columns(['workspace_id', 'creator_id', 'last_number'])
    .expression(
      consenting.select(['p.workspace_id', 'p.creator_id', sql<number>`1`.as('last_number')]).orderBy('p.creator_id'),
    )
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'creator_id']).doUpdateSet({ last_number: sql`invoice_sequences.last_number + 1` }),
    )
    .execute();
  const rows = await consenting
    .innerJoin('invoice_sequences as s', (j) =>
      j.onRef('s.workspace_id', '=', 'p.workspace_id').onRef('s.creator_id', '=', 'p.creator_id'),
    )
    .innerJoin('creators as c', 'c.id', 'p.creator_id')
    .leftJoin('payout_profiles as pp', 'pp.creator_id', 'p.creator_id')
    .select([
      'p.id',
      'p.creator_id',
      'p.amount',
      'p.vat_amount',
      'p.currency',
      's.last_number',
      'c.name',
      'pp.legal_name',
      'pp.address',
      'pp.country',
      'pp.business_id',
      'pp.vat_number',
      'pp.vat_registered',
      'pp.vat_rate_bps',
    ])
    .orderBy('p.creator_id')
    .execute();
  if (rows.length === 0) return 0;
  const { complete: _complete, ...buyer } = await brandParty(tx, workspaceId);
  const buyerText = JSON.stringify(buyer);
  const invoices = rows.map((r) => {
    const seller: InvoiceParty = {
      name: r.legal_name ?? r.name,
      address: parseAddress(r.address),
      country: sellerCountry(r),
      businessId: r.business_id,
      vatNumber: r.vat_number,
      vatRegistered: r.vat_registered === 1,
    };
    const net = Number(r.amount);
    const vat = payoutVat(net, r, buyer);
    // The payout was written with the VAT its plan computed from the same details in this
    // transaction: the invoice's total is what the creator is paid, or the run is refused whole.
    if (vat.vatAmount !== Number(r.vat_amount)) {
      throw new AppError(
        'CONFLICT',
        `The VAT of payout ${r.id} changed while the run was made; nothing was paid, run it again`,
      );
    }
    return {
      id: newId('invoice'),
      payout_id: r.id,
      workspace_id: workspaceId,
      creator_id: r.creator_id,
      number: Number(r.last_number),
      seller: JSON.stringify(seller),
      buyer: buyerText,
      vat_treatment: vat.treatment,
      vat_rate_bps: vat.rateBps,
      net_amount: net,
      vat_amount: vat.vatAmount,
      currency: r.currency,
      issued_at: at,
    };
  });
  for (let i = 0; i < invoices.length; i += CHUNK) {
    await tx
      .insertInto('invoices')
      .values(invoices.slice(i, i + CHUNK))
      .execute();
  }
  return invoices.length;
}
