/**
 * The conversions service: the one way in for sales, refunds and leads (the track API, the
 * webhooks, the conversions thread and the demo all call it). Each use case lives in a file of
 * its own — record-sale.ts, record-refund.ts, record-lead.ts — built from small named steps;
 * this module only gives them their shared context.
 */
import type { WorkspaceScope } from '../shared/principal.js';
import { type ConversionsDeps, contextOf } from './context.js';
import type {
  ConversionOutcome,
  ConversionsPort,
  LeadInput,
  RecordOptions,
  RefundInput,
  SaleInput,
} from './contract.js';
import { recordLead } from './record-lead.js';
import { recordRefund } from './record-refund.js';
import { recordSale } from './record-sale.js';

export { emailHash } from './steps.js';

export function conversionsService(deps: ConversionsDeps) {
  const ctx = contextOf(deps);
  return {
    recordSale: (scope: WorkspaceScope, input: SaleInput, options?: RecordOptions): Promise<ConversionOutcome> =>
      recordSale(ctx, scope, input, options),
    recordRefund: (scope: WorkspaceScope, input: RefundInput, options?: RecordOptions): Promise<ConversionOutcome> =>
      recordRefund(ctx, scope, input, options),
    recordLead: (scope: WorkspaceScope, input: LeadInput, options?: RecordOptions): Promise<ConversionOutcome> =>
      recordLead(ctx, scope, input, options),
  } satisfies ConversionsPort;
}

export type ConversionsService = ReturnType<typeof conversionsService>;
