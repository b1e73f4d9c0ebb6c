import type { Db } from '../db/database.js';
import type { PayoutProfilesTable } from '../db/schema.js';
import type { Clock } from '../shared/clock.js';
import { notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { openSecret, sealSecret } from '../shared/secrets.js';
import { destinationOf } from './destinations.js';
import * as repo from './profile-repository.js';
import type { PayoutProfile, PayoutProfileInput } from './schemas.js';

/** A sealed profile opens for its own creator only. */
export const profileContext = (creatorId: string) => `payout-profile:${creatorId}`;

export function invoicingComplete(row: Pick<PayoutProfilesTable, 'legal_name' | 'address' | 'country'>): boolean {
  return Boolean(row.legal_name && row.address && row.country);
}

export function toPayoutProfile(row: repo.ProfileRow, underReview: boolean): PayoutProfile {
  return {
    creatorId: row.creator_id,
    method: row.method,
    details: JSON.parse(row.details_masked) as Record<string, string>,
    currency: row.currency,
    legalName: row.legal_name,
    address: row.address ? (JSON.parse(row.address) as PayoutProfile['address']) : null,
    country: row.country,
    businessId: row.business_id,
    vatNumber: row.vat_number,
    vatRegistered: row.vat_registered === 1,
    vatRateBps: row.vat_rate_bps,
    taxForm: row.tax_form,
    taxFormReceivedAt: row.tax_form_received_at,
    invoicingComplete: invoicingComplete(row),
    underReview,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The plain details of a profile, for writing a payout file or calling a provider. */
export function openDetails(row: repo.ProfileRow, instanceSecret: string): Record<string, string> {
  return JSON.parse(openSecret(row.details_sealed, instanceSecret, profileContext(row.creator_id))) as Record<
    string,
    string
  >;
}

export function payoutProfilesService({ db, clock, secret }: { db: Db; clock: Clock; secret: string }) {
  async function get(creatorId: string): Promise<PayoutProfile> {
    const row = await repo.findProfile(db, creatorId);
    if (!row) throw notFound('Payout profile');
    return toPayoutProfile(row, await repo.hasOpenFlag(db, creatorId));
  }

  /**
   * Sets the creator's payout profile. Tax and invoicing fields left out keep their earlier
   * values; the method and its details are replaced. If another creator already pays to the
   * same account or email, both are flagged for a brand's review before either is paid.
   */
  async function put(creatorId: string, input: PayoutProfileInput): Promise<PayoutProfile> {
    const destination = destinationOf(input, secret);
    const now = clock.now().toISOString();
    return db.transaction().execute(async (tx) => {
      const existing = await repo.findProfile(tx, creatorId);
      const keep = <K extends keyof repo.ProfileRow>(key: K, value: repo.ProfileRow[K] | undefined) =>
        value === undefined ? (existing?.[key] ?? null) : value;
      const row: repo.ProfileRow = {
        creator_id: creatorId,
        method: input.method,
        details_sealed: sealSecret(JSON.stringify(destination.details), secret, profileContext(creatorId)),
        details_masked: JSON.stringify(destination.masked),
        destination_key: destination.key ? `${destination.key.kind}:${destination.key.hash}` : null,
        currency: destination.currency,
        legal_name: keep('legal_name', input.legalName),
        address: keep('address', input.address === undefined ? undefined : JSON.stringify(input.address)),
        country: keep('country', input.country ?? input.address?.country),
        business_id: keep('business_id', input.businessId),
        vat_number: keep('vat_number', input.vatNumber),
        vat_registered:
          input.vatRegistered === undefined ? (existing?.vat_registered ?? 0) : input.vatRegistered ? 1 : 0,
        vat_rate_bps: keep('vat_rate_bps', input.vatRateBps),
        tax_form: keep('tax_form', input.taxForm),
        tax_form_received_at: keep(
          'tax_form_received_at',
          input.taxFormReceivedAt === undefined
            ? undefined
            : input.taxFormReceivedAt === null
              ? null
              : new Date(input.taxFormReceivedAt).toISOString(),
        ),
        created_at: existing?.created_at ?? now,
        updated_at: now,
      };
      if (row.tax_form && !row.tax_form_received_at) row.tax_form_received_at = now;
      if (!row.tax_form) row.tax_form_received_at = null;
      await repo.upsertProfile(tx, row);
      if (row.destination_key && destination.key) {
        for (const other of await repo.creatorsSharingDestination(tx, creatorId, row.destination_key)) {
          if (await repo.openFlagBetween(tx, creatorId, other)) continue;
          await repo.insertFlag(tx, {
            id: newId('payoutFlag'),
            creator_id: creatorId,
            other_creator_id: other,
            destination_kind: destination.key.kind,
            status: 'open',
            resolution_note: null,
            resolved_by: null,
            created_at: now,
            resolved_at: null,
          });
        }
      }
      return toPayoutProfile(row, await repo.hasOpenFlag(tx, creatorId));
    });
  }

  return { get, put };
}

export type PayoutProfilesService = ReturnType<typeof payoutProfilesService>;
