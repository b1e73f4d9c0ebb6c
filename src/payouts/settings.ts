import type { Db } from '../db/database.js';
import { findProgram } from '../programs/repository.js';
import type { Program } from '../programs/schemas.js';
import type { Clock } from '../shared/clock.js';
import { notFound } from '../shared/errors.js';
import type { WorkspaceScope } from '../shared/principal.js';
import { sealSecret } from '../shared/secrets.js';
import * as repo from './repository.js';
import { nextScheduledRun } from './schedule.js';
import { type PayoutMethodName, type PayoutSettings, type PayoutSettingsInput, payoutMethods } from './schemas.js';

/** A program's Stripe key opens for that program only. */
export const stripeKeyContext = (programId: string) => `payout-stripe-key:${programId}`;

/** A program without saved payout settings pays by every method, by hand, with no requirements. */
export function defaultSettings(programId: string, now: string): repo.SettingsRow {
  return {
    program_id: programId,
    allowed_methods: JSON.stringify(payoutMethods),
    schedule: 'manual',
    schedule_day: null,
    require_tax_form: 0,
    require_invoicing_details: 0,
    require_self_billing: 0,
    stripe_key_sealed: null,
    stripe_key_hint: null,
    last_scheduled_at: null,
    updated_at: now,
  };
}

export function allowedMethodsOf(row: repo.SettingsRow): PayoutMethodName[] {
  return JSON.parse(row.allowed_methods) as PayoutMethodName[];
}

export function toPayoutSettings(row: repo.SettingsRow, program: Program, now: Date): PayoutSettings {
  const next = nextScheduledRun(row.schedule, row.schedule_day, now);
  return {
    programId: row.program_id,
    allowedMethods: allowedMethodsOf(row),
    schedule: row.schedule,
    scheduleDay: row.schedule_day,
    requireTaxForm: row.require_tax_form === 1,
    requireInvoicingDetails: row.require_invoicing_details === 1,
    requireSelfBilling: row.require_self_billing === 1,
    stripeKeyHint: row.stripe_key_hint ? `…${row.stripe_key_hint}` : null,
    minPayoutAmount: program.minPayoutAmount,
    currency: program.currency,
    nextRunAt: next ? next.toISOString() : null,
  };
}

export async function settingsRowOf(db: Db, programId: string, now: Date): Promise<repo.SettingsRow> {
  return (await repo.findSettings(db, programId)) ?? defaultSettings(programId, now.toISOString());
}

export function payoutSettingsService({ db, clock, secret }: { db: Db; clock: Clock; secret: string }) {
  async function get(scope: WorkspaceScope, programId: string): Promise<PayoutSettings> {
    const program = await findProgram(db, scope, programId);
    if (!program) throw notFound('Program');
    const now = clock.now();
    return toPayoutSettings(await settingsRowOf(db, programId, now), program, now);
  }

  async function put(scope: WorkspaceScope, programId: string, input: PayoutSettingsInput): Promise<PayoutSettings> {
    const program = await findProgram(db, scope, programId);
    if (!program) throw notFound('Program');
    const now = clock.now();
    const row = { ...(await settingsRowOf(db, programId, now)) };
    if (input.allowedMethods) row.allowed_methods = JSON.stringify(input.allowedMethods);
    if (input.schedule) {
      row.schedule = input.schedule;
      // A new schedule starts from now: it does not catch up on the days before it was set.
      row.last_scheduled_at = now.toISOString();
    }
    if (input.scheduleDay !== undefined) row.schedule_day = input.scheduleDay;
    if (row.schedule === 'manual') row.schedule_day = null;
    else if (row.schedule_day == null) row.schedule_day = 1;
    if (row.schedule === 'weekly' && (row.schedule_day ?? 1) > 7) row.schedule_day = 1;
    if (input.requireTaxForm !== undefined) row.require_tax_form = input.requireTaxForm ? 1 : 0;
    if (input.requireInvoicingDetails !== undefined) {
      row.require_invoicing_details = input.requireInvoicingDetails ? 1 : 0;
    }
    if (input.requireSelfBilling !== undefined) row.require_self_billing = input.requireSelfBilling ? 1 : 0;
    if (input.stripeSecretKey !== undefined) {
      row.stripe_key_sealed = input.stripeSecretKey
        ? sealSecret(input.stripeSecretKey, secret, stripeKeyContext(programId))
        : null;
      row.stripe_key_hint = input.stripeSecretKey ? input.stripeSecretKey.slice(-4) : null;
    }
    row.updated_at = now.toISOString();
    await repo.upsertSettings(db, row);
    return toPayoutSettings(row, program, now);
  }

  return { get, put };
}

export type PayoutSettingsService = ReturnType<typeof payoutSettingsService>;
