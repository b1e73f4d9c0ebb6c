import { DAY_MS } from '../shared/time.js';
/**
 * Attribution: which creator, if any, a sale belongs to, by the rules of SPEC.md in order. Pure:
 * the candidates are looked up by the caller; this decides between them and says why.
 *
 * 1. An active code of an approved creator wins — unless the program says clicks win.
 * 2. Otherwise the visitor's last tracked click within the attribution window.
 * 3. Otherwise a returning customer (or a subscription's renewal) stays with the creator who
 *    first won them, for as long as the commission duration allows.
 * 4. Otherwise the sale is unattributed.
 */

export type CommissionDuration = { type: 'first_order' } | { type: 'months'; months: number } | { type: 'lifetime' };

export interface CodeCandidate {
  codeId: string;
  code: string;
  creatorId: string;
  creatorApproved: boolean;
}

export interface ClickCandidate {
  clickId: string;
  at: string;
  linkId: string;
  creatorId: string;
  isBot: boolean;
  creatorApproved: boolean;
}

export interface CustomerCandidate {
  customerId: string;
  creatorId: string;
  wonAt: string;
  creatorApproved: boolean;
  /** `subscription` when the sale renews a subscription the creator won. */
  via: 'customer' | 'subscription';
}

export interface AttributionRules {
  codeWinsOverClick: boolean;
  attributionWindowDays: number;
  commissionDuration: CommissionDuration;
}

export type Evidence =
  | { rule: 'code'; codeId: string; code: string }
  | { rule: 'click'; clickId: string; clickedAt: string; linkId: string; ageDays: number }
  | { rule: 'customer'; customerId: string; wonAt: string; via: 'customer' | 'subscription' };

export type AttributionResult =
  | {
      attributed: true;
      rule: 'code' | 'click' | 'customer';
      creatorId: string;
      evidence: Evidence;
      passedOver: string[];
    }
  | { attributed: false; reasons: string[] };

/** The moment a customer won at `wonAt` stops earning under a duration of `months` months. */
export function addMonths(iso: string, months: number): Date {
  const d = new Date(iso);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** Why a click cannot attribute a sale at `at`, or undefined when it can. */
export function clickProblem(click: ClickCandidate, at: Date, windowDays: number): string | undefined {
  if (click.isBot) return `click ${click.clickId} was made by a bot`;
  if (!click.creatorApproved) return `the creator of click ${click.clickId} is not approved in the program`;
  const age = at.getTime() - Date.parse(click.at);
  // A little leeway for clocks that differ between the shop and this server.
  if (age < -5 * 60_000) return `click ${click.clickId} is later than the sale`;
  if (age > windowDays * DAY_MS) return `click ${click.clickId} is older than the ${windowDays}-day window`;
  return undefined;
}

/** Why a returning customer no longer earns its creator commissions at `at`, or undefined. */
export function customerProblem(
  customer: CustomerCandidate,
  at: Date,
  duration: CommissionDuration,
): string | undefined {
  if (!customer.creatorApproved) return 'the creator who won the customer is not approved in the program any more';
  if (duration.type === 'first_order') return 'the program pays on a customer’s first order only';
  if (duration.type === 'months' && at.getTime() >= addMonths(customer.wonAt, duration.months).getTime()) {
    return `the customer was won more than ${duration.months} months ago`;
  }
  return undefined;
}

export function attribute(
  rules: AttributionRules,
  at: Date,
  candidates: { code: CodeCandidate | null; click: ClickCandidate | null; customer: CustomerCandidate | null },
): AttributionResult {
  const reasons: string[] = [];
  const byCode = (): AttributionResult | undefined => {
    const { code } = candidates;
    if (!code) return undefined;
    if (!code.creatorApproved) {
      reasons.push(`code ${code.code} belongs to a creator who is not approved in the program`);
      return undefined;
    }
    return {
      attributed: true,
      rule: 'code',
      creatorId: code.creatorId,
      evidence: { rule: 'code', codeId: code.codeId, code: code.code },
      passedOver: [],
    };
  };
  const byClick = (): AttributionResult | undefined => {
    const { click } = candidates;
    if (!click) return undefined;
    const problem = clickProblem(click, at, rules.attributionWindowDays);
    if (problem) {
      reasons.push(problem);
      return undefined;
    }
    return {
      attributed: true,
      rule: 'click',
      creatorId: click.creatorId,
      evidence: {
        rule: 'click',
        clickId: click.clickId,
        clickedAt: click.at,
        linkId: click.linkId,
        ageDays: Math.max(0, Math.floor((at.getTime() - Date.parse(click.at)) / DAY_MS)),
      },
      passedOver: [],
    };
  };
  const first = rules.codeWinsOverClick ? [byCode, byClick] : [byClick, byCode];
  const results: AttributionResult[] = [];
  for (const rule of first) {
    const r = rule();
    if (r) results.push(r);
  }
  const [winner, other] = results;
  if (winner?.attributed) {
    if (other?.attributed && other.creatorId !== winner.creatorId) {
      winner.passedOver.push(
        `${other.rule} of another creator (${rules.codeWinsOverClick ? 'codes win over clicks' : 'clicks win over codes'} in this program)`,
      );
    }
    return winner;
  }
  const { customer } = candidates;
  if (customer) {
    const problem = customerProblem(customer, at, rules.commissionDuration);
    if (!problem) {
      return {
        attributed: true,
        rule: 'customer',
        creatorId: customer.creatorId,
        evidence: { rule: 'customer', customerId: customer.customerId, wonAt: customer.wonAt, via: customer.via },
        passedOver: [],
      };
    }
    reasons.push(problem);
  }
  if (reasons.length === 0) reasons.push('no code, click or returning customer of a creator');
  return { attributed: false, reasons };
}
