/**
 * The demo's enrollments, made through the enrollment service as brands and creators would:
 * applications, invitations, approvals, rejections and a suspension, each with its history.
 */
import type { Db } from '../db/database.js';
import type { EnrollmentStatus, UpdateEnrollmentInput } from '../enrollments/schemas.js';
import { type Caller, enrollmentsService } from '../enrollments/service.js';
import type { Clock } from '../shared/clock.js';
import { trustedScope } from '../shared/principal.js';
import { HOUR_MS } from '../shared/time.js';
import type { Random } from './random.js';
import { applicationNotes, approvalNotes, type creatorFirstNames, invitationNotes } from './world.js';

export interface DemoProgramRef {
  id: string;
  workspaceId: string;
  managerUserId: string;
  visibility: 'open' | 'invite';
}

export interface DemoCreatorRef {
  creatorId: string;
  userId: string;
  email: string;
  country: keyof typeof creatorFirstNames;
  /** The creator's place among those of its country: 0 is Krista Lehtonen for FI, Dana Vaughan for US. */
  nth: number;
}

/**
 * How an enrollment ended up. `approved`, `applied`, `rejected` and `suspended` start with an
 * application (an invitation in an invite-only program); `declined` is an invitation the creator
 * turned down.
 */
type DemoOutcome = 'approved' | 'applied' | 'invited' | 'declined' | 'rejected' | 'suspended';

interface DemoEnrollment {
  country: keyof typeof creatorFirstNames;
  nth: number;
  /** 0 Revontuli Creators (FI, open), 1 Revontuli Outdoor Ambassadors (FI, invite-only), 2 Mesa Glow (US, open). */
  program: 0 | 1 | 2;
  outcome: DemoOutcome;
  rateBps?: number;
}

/** Who is in which program: Finns mostly with the Finnish brand, Americans with the US one. */
function demoEnrollmentPlan(): DemoEnrollment[] {
  const plan: DemoEnrollment[] = [];
  const add = (e: DemoEnrollment) => plan.push(e);
  for (let nth = 0; nth < 16; nth++) {
    const outcome: DemoOutcome = nth === 5 ? 'suspended' : nth >= 14 ? 'applied' : 'approved';
    add({ country: 'FI', nth, program: 0, outcome, ...(nth === 0 ? { rateBps: 2000 } : {}) });
  }
  for (const nth of [0, 2, 4, 6, 8]) add({ country: 'FI', nth, program: 1, outcome: 'approved' });
  add({ country: 'FI', nth: 10, program: 1, outcome: 'invited' });
  add({ country: 'FI', nth: 11, program: 1, outcome: 'declined' });
  add({ country: 'FI', nth: 0, program: 2, outcome: 'approved' });
  add({ country: 'FI', nth: 3, program: 2, outcome: 'approved' });
  for (let nth = 0; nth < 18; nth++) {
    const outcome: DemoOutcome = nth === 14 ? 'applied' : nth === 15 ? 'rejected' : nth === 16 ? 'invited' : 'approved';
    add({ country: 'US', nth, program: 2, outcome, ...(nth === 0 ? { rateBps: 2500 } : {}) });
  }
  add({ country: 'US', nth: 2, program: 0, outcome: 'approved' });
  add({ country: 'SE', nth: 0, program: 0, outcome: 'approved' });
  add({ country: 'SE', nth: 1, program: 0, outcome: 'approved' });
  add({ country: 'SE', nth: 2, program: 1, outcome: 'approved', rateBps: 1200 });
  add({ country: 'DE', nth: 0, program: 0, outcome: 'approved' });
  add({ country: 'DE', nth: 1, program: 2, outcome: 'approved' });
  add({ country: 'DE', nth: 2, program: 0, outcome: 'invited' });
  return plan;
}

/**
 * Enrolls the demo creators through the enrollment service, as brands and creators would, so
 * that every enrollment has its history. The steps are spread over the last ten weeks.
 */
export async function enrollDemoCreators(deps: {
  db: Db;
  clock: Clock;
  rng: Random;
  programs: DemoProgramRef[];
  creators: DemoCreatorRef[];
}): Promise<EnrollmentStatus[]> {
  const { rng } = deps;
  const hour = HOUR_MS;
  const day = 24 * hour;
  let current = deps.clock.now().getTime();
  const enrollments = enrollmentsService({ db: deps.db, clock: { now: () => new Date(current) } });
  const start = current - 70 * day;
  const outcomes: EnrollmentStatus[] = [];
  const steps: { at: number; run: () => Promise<unknown> }[] = [];
  const optional = <K extends string>(key: K, text: string | null) => (text ? { [key]: text } : {});

  for (const item of demoEnrollmentPlan()) {
    const program = deps.programs[item.program];
    const creator = deps.creators.find((c) => c.country === item.country && c.nth === item.nth);
    if (!program || !creator) throw new Error('the demo enrollment plan names a missing program or creator');
    const brand: Caller = {
      kind: 'brand',
      scope: trustedScope(program.workspaceId, 'manager'),
      actor: program.managerUserId,
    };
    const self: Caller = { kind: 'creator', creatorId: creator.creatorId, actor: creator.userId };
    const byInvitation = item.outcome === 'invited' || item.outcome === 'declined' || program.visibility === 'invite';
    const rate = item.rateBps ? { rate: { type: 'percent' as const, bps: item.rateBps } } : {};
    let id = '';
    const remember = (e: { id: string }) => {
      id = e.id;
    };

    let at = start + rng.int(0, 55) * day + rng.int(8, 20) * hour;
    const first = byInvitation
      ? { creatorEmail: creator.email, ...rate, ...optional('message', rng.pick(invitationNotes)) }
      : optional('message', rng.pick(applicationNotes));
    steps.push({ at, run: () => enrollments.create(byInvitation ? brand : self, program.id, first).then(remember) });

    at += rng.int(4, 96) * hour;
    const then = (caller: Caller, change: UpdateEnrollmentInput) =>
      steps.push({ at, run: () => enrollments.update(caller, id, change) });
    switch (item.outcome) {
      case 'applied':
      case 'invited':
        break;
      case 'declined':
        then(self, { status: 'rejected', reason: 'Not doing outdoor content this season, thanks!' });
        break;
      case 'rejected':
        then(brand, {
          status: 'rejected',
          reason: 'Most of your audience is outside the US, where we do not ship yet',
        });
        break;
      case 'approved':
      case 'suspended':
        if (byInvitation) then(self, { status: 'approved' });
        else then(brand, { status: 'approved', ...rate, ...optional('reason', rng.pick(approvalNotes)) });
        if (item.outcome === 'suspended') {
          at += rng.int(7, 14) * day;
          then(brand, {
            status: 'suspended',
            reason: 'Captions promised a 50 % discount that we do not offer; paused until they are corrected',
          });
        }
        break;
    }
    outcomes.push(item.outcome === 'declined' ? 'rejected' : item.outcome);
  }

  // In the order they happened, so that every step follows the one it depends on.
  for (const step of steps.sort((a, b) => a.at - b.at)) {
    current = step.at;
    await step.run();
  }
  return outcomes;
}
