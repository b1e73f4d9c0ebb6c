/**
 * Recording a lead (a signup, a trial): attributed by code or click like a sale, never to a
 * returning customer, and earning the program's lead reward when it is attributed.
 */

import { rollUp } from '../analytics/rollups.js';
import { type AttributionResult, attribute } from '../attribution/attribute.js';
import { explainLead, money } from '../commissions/explain.js';
import * as ledger from '../commissions/ledger.js';
import type { DbOrTx } from '../db/database.js';
import type { Program } from '../programs/schemas.js';
import { newId } from '../shared/ids.js';
import type { WorkspaceScope } from '../shared/principal.js';
import { DAY_MS } from '../shared/time.js';
import type { Candidates } from './candidates.js';
import { candidates } from './candidates.js';
import { type ConversionsContext, loadProgram, lockOrders, type Names, namesFor, recordIn } from './context.js';
import { type ConversionOutcome, type LeadInput, leadInput, parseInput, type RecordOptions } from './contract.js';
import { type ConversionRow, findConversion, insertConversion, setConversionCustomer } from './repository.js';
import {
  conflict,
  describeAttribution,
  fingerprint,
  lookUpCustomer,
  occurredAt,
  outcomeOf,
  rememberCustomer,
} from './steps.js';

const printOf = (input: LeadInput) =>
  fingerprint({
    clickId: input.clickId ?? null,
    codes: [...(input.couponCodes ?? [])].map((c) => c.trim().toUpperCase()).sort(),
    customerId: input.customerId ?? null,
    customerEmail: input.customerEmail?.trim().toLowerCase() ?? null,
  });

function leadRow(
  scope: WorkspaceScope,
  program: Program,
  input: LeadInput,
  print: string,
  found: Candidates,
  result: AttributionResult,
  at: Date,
  now: Date,
): ConversionRow {
  return {
    id: newId('conversion', at.getTime()),
    workspace_id: scope.workspaceId,
    program_id: program.id,
    kind: 'lead',
    external_id: input.leadId,
    fingerprint: print,
    source: input.source,
    currency: program.currency,
    amount: 0,
    original_currency: program.currency,
    original_amount: 0,
    exchange_rate: null,
    click_id: input.clickId ?? null,
    code_id: found.code?.codeId ?? null,
    code: found.code?.code ?? null,
    customer_id: null,
    subscription_id: null,
    referrer: null,
    creator_id: result.attributed ? result.creatorId : null,
    attribution: result.attributed ? result.rule : null,
    evidence: JSON.stringify(result.attributed ? result.evidence : { reasons: result.reasons }),
    occurred_at: at.toISOString(),
    created_at: now.toISOString(),
    gross_amount: null,
    source_updated_at: null,
  };
}

/** The program's lead reward for the winner, as one pending entry. */
async function rewardLead(
  ctx: ConversionsContext,
  tx: DbOrTx,
  program: Program,
  conversion: ConversionRow,
  input: LeadInput,
  found: Candidates,
  names: Names,
  winner: string,
  evidence: Extract<AttributionResult, { attributed: true }>['evidence'],
  at: Date,
): Promise<string> {
  const reward = program.leadRewardAmount ?? 0;
  const [row] = await ledger.createEntries(
    tx,
    [
      {
        id: newId('commission', at.getTime()),
        workspace_id: conversion.workspace_id,
        program_id: program.id,
        creator_id: winner,
        conversion_id: conversion.id,
        refund_id: null,
        reverses_id: null,
        line_no: null,
        kind: 'lead',
        amount: reward,
        currency: program.currency,
        status: 'pending',
        base_amount: 0,
        rate: JSON.stringify({ type: 'flat', amount: reward }),
        rate_source: 'program',
        explanation: explainLead({
          reward,
          currency: program.currency,
          leadId: input.leadId,
          attribution: evidence,
          creatorName: await names.creator(winner),
          linkSlug: found.click?.slug ?? null,
        }),
        hold_reason: null,
        hold_detail: null,
        approve_after: new Date(at.getTime() + program.holdingDays * DAY_MS).toISOString(),
      },
    ],
    ctx.clock.now().toISOString(),
  );
  return row?.id ?? '';
}

export async function recordLead(
  ctx: ConversionsContext,
  scope: WorkspaceScope,
  given: LeadInput,
  options?: RecordOptions,
): Promise<ConversionOutcome> {
  const input = parseInput(leadInput, given);
  const at = occurredAt(input.occurredAt, ctx.clock);
  const print = printOf(input);
  return recordIn(ctx, scope, options, async (tx) => {
    const program = await loadProgram(ctx, tx, scope, input.programId);
    await lockOrders(ctx, tx, program.id, [`lead:${input.leadId}`]);
    const existing = await findConversion(tx, program.id, 'lead', input.leadId);
    if (existing) {
      if (existing.fingerprint !== print)
        throw conflict(`Lead ${input.leadId} was already recorded with other contents`);
      return outcomeOf(existing, 'lead', true, [], '');
    }
    const names = namesFor(tx);
    const customer = await lookUpCustomer(tx, program, ctx.secret, input, (keys) =>
      lockOrders(ctx, tx, program.id, keys),
    );
    const found = await candidates(ctx, tx, program, at, input, customer.row);
    // A lead is a first contact: a returning customer does not attribute it.
    const result = attribute(program, at, { ...found, customer: null });
    const winner = result.attributed ? result.creatorId : null;
    const conversion = leadRow(scope, program, input, print, found, result, at, ctx.clock.now());
    await insertConversion(tx, conversion);
    const customerId = await rememberCustomer(tx, scope, program, input, customer, {
      id: conversion.id,
      winner,
      at: conversion.occurred_at,
      now: ctx.clock.now(),
    });
    if (customerId) {
      conversion.customer_id = customerId;
      await setConversionCustomer(tx, conversion.id, customerId);
    }
    if (!result.attributed || !winner)
      return outcomeOf(conversion, 'lead', false, [], `lead ${input.leadId}: unattributed`);
    const reward = program.leadRewardAmount ?? 0;
    const ids =
      reward > 0
        ? [await rewardLead(ctx, tx, program, conversion, input, found, names, winner, result.evidence, at)]
        : [];
    const summary = `lead ${input.leadId} ${await describeAttribution(names, conversion, result.evidence)}: ${
      reward > 0 ? `${money(reward, program.currency)} pending` : 'no lead reward in this program'
    }`;
    await rollUp(tx, conversion.id);
    return outcomeOf(conversion, 'lead', false, ids, summary);
  });
}
