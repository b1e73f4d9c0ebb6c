import { codeVisible } from '../codes/repository.js';
import { codeViewerOf } from '../codes/service.js';
import { commissionViewerOf, commissionVisible } from '../commissions/service.js';
import { contentVisible } from '../contents/repository.js';
import { viewerOf } from '../contents/service.js';
import { conversionVisible } from '../conversions/read.js';
import type { Db } from '../db/database.js';
import { enrollmentExists } from '../enrollments/repository.js';
import { alertVisible } from '../fraud/service.js';
import type { OwnershipCheck, OwnershipChecks } from '../http/ownership.js';
import { linkVisible } from '../links/repository.js';
import { ownerOf } from '../links/service.js';
import { flagVisible, payoutOrRunVisible, payoutViewerOf, payoutVisible, runVisible } from '../payouts/reads.js';
import { productExists } from '../products/repository.js';
import { programExists } from '../programs/repository.js';
import { type WorkspaceScope, workspaceScope } from '../shared/principal.js';
import { memberExists } from '../workspaces/repository.js';

/**
 * One check per kind of object that a path can name: can the caller see it? Brand objects
 * belong to a workspace; links also to the creator they are for.
 */
export function ownershipChecks(db: Db): OwnershipChecks {
  /** A check for objects that only a brand workspace owns. */
  const inWorkspace =
    (exists: (db: Db, scope: WorkspaceScope, id: string) => Promise<boolean>): OwnershipCheck =>
    (principal, id) =>
      exists(db, workspaceScope(principal), id);
  return {
    program: inWorkspace(programExists),
    product: inWorkspace(productExists),
    member: inWorkspace(memberExists),
    enrollment: inWorkspace(enrollmentExists),
    link: async (principal, id) => (principal ? linkVisible(db, ownerOf(principal), id) : false),
    content: async (principal, id) => (principal ? contentVisible(db, viewerOf(principal), id) : false),
    code: async (principal, id) => (principal ? codeVisible(db, codeViewerOf(principal), id) : false),
    commission: async (principal, id) => (principal ? commissionVisible(db, commissionViewerOf(principal), id) : false),
    conversion: inWorkspace(conversionVisible),
    codeAlert: inWorkspace(alertVisible),
    payout: async (principal, id) => (principal ? payoutVisible(db, payoutViewerOf(principal), id) : false),
    payoutRun: inWorkspace(runVisible),
    payoutOrRun: inWorkspace(payoutOrRunVisible),
    payoutFlag: inWorkspace(flagVisible),
  };
}
