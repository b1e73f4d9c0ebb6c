/**
 * Small steps the use cases share: a delivery's fingerprint and time, the customer it names,
 * and the outcome it answers.
 */
import { createHash } from 'node:crypto';
import type { Evidence } from '../attribution/attribute.js';
import type { DbOrTx } from '../db/database.js';
import type { Program } from '../programs/schemas.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { WorkspaceScope } from '../shared/principal.js';
import type { Names } from './context.js';
import type { ConversionOutcome } from './contract.js';
import { type ConversionRow, type CustomerRow, findCustomer, insertCustomer, setCustomerWinner } from './repository.js';

/** Emails are kept only as a keyed hash, enough to recognise a returning customer. */
export function emailHash(email: string, secret: string): string {
  return createHash('sha256').update(`${secret}\0${email.trim().toLowerCase()}`).digest('base64url').slice(0, 32);
}

/** What a delivery said, as a short hash: the same id with other contents is a conflict. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 32);
}

/** When the delivery happened: as it says, else now. */
export function occurredAt(given: string | null | undefined, clock: Clock): Date {
  return given ? new Date(given) : clock.now();
}

/** The same id was recorded before with other contents. */
export function conflict(message: string): AppError {
  return new AppError('CONVERSION_CONFLICT', message);
}

export interface CustomerFound {
  row: CustomerRow | undefined;
  hash: string | null;
}

/**
 * The customer a delivery names, by the shop's id or the email's hash, if seen before. `lock`
 * first takes the customer's keys for the rest of the transaction, so that two orders of one new
 * customer recorded at once see each other: the second finds the customer the first kept.
 */
export async function lookUpCustomer(
  tx: DbOrTx,
  program: Program,
  secret: string,
  input: { customerId?: string | null | undefined; customerEmail?: string | null | undefined },
  lock: (keys: string[]) => Promise<void>,
): Promise<CustomerFound> {
  const hash = input.customerEmail ? emailHash(input.customerEmail, secret) : null;
  const keys = [
    ...(input.customerId ? [`customer:${input.customerId}`] : []),
    ...(hash ? [`customer-email:${hash}`] : []),
  ];
  if (keys.length > 0) await lock(keys);
  const row = await findCustomer(tx, program.id, input.customerId ?? null, hash);
  return { row, hash };
}

/**
 * Keeps the customer a delivery names (a new one, or one now won by `winner`): answers its id,
 * or null when the delivery names no customer.
 */
export async function rememberCustomer(
  tx: DbOrTx,
  scope: WorkspaceScope,
  program: Program,
  input: { customerId?: string | null | undefined },
  found: CustomerFound,
  conversion: { id: string; winner: string | null; at: string; now: Date },
): Promise<string | null> {
  if (!input.customerId && !found.hash) return null;
  if (!found.row) {
    const id = newId('customer', Date.parse(conversion.at));
    await insertCustomer(tx, {
      id,
      workspace_id: scope.workspaceId,
      program_id: program.id,
      external_id: input.customerId ?? null,
      email_hash: found.hash,
      creator_id: conversion.winner,
      won_at: conversion.winner ? conversion.at : null,
      first_conversion_id: conversion.id,
      created_at: conversion.now.toISOString(),
    });
    return id;
  }
  if (!found.row.creator_id && conversion.winner) {
    await setCustomerWinner(tx, found.row.id, conversion.winner, conversion.at);
  }
  return found.row.id;
}

export function outcomeOf(
  conversion: ConversionRow,
  kind: string,
  duplicate: boolean,
  commissionIds: string[],
  summary: string,
): ConversionOutcome {
  return {
    conversionId: conversion.id,
    duplicate,
    status: duplicate ? 'duplicate' : conversion.creator_id ? 'recorded' : 'unattributed',
    attribution: conversion.attribution,
    creatorId: conversion.creator_id,
    commissionIds,
    summary: duplicate ? `${kind} ${conversion.external_id} was already recorded: nothing changed` : summary,
  };
}

/** "by code DANA15 of Dana Vaughan", "by a click on a link of …", "as a returning customer of …". */
export async function describeAttribution(
  names: Names,
  conversion: ConversionRow,
  evidence: Evidence | null,
): Promise<string> {
  if (!conversion.creator_id || !evidence) return 'unattributed';
  const who = await names.creator(conversion.creator_id);
  if (evidence.rule === 'code') return `by code ${evidence.code} of ${who}`;
  if (evidence.rule === 'click') return `by a click on a link of ${who}`;
  return `as a returning customer of ${who}`;
}

/** A sale whose order id was recorded with other contents, reported rather than refused: nothing changed. */
export const changedOrder = (summary: string): ConversionOutcome => ({
  conversionId: null,
  duplicate: true,
  conflict: true,
  status: 'duplicate',
  attribution: null,
  creatorId: null,
  commissionIds: [],
  summary,
});
