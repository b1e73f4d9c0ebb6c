import { apiKeyVisible } from '../accounts/repository.js';
import { codeVisible } from '../codes/repository.js';
import { codeViewerOf } from '../codes/service.js';
import { commissionViewerOf, commissionVisible } from '../commissions/service.js';
import { contentVisible } from '../contents/repository.js';
import { viewerOf } from '../contents/service.js';
import { conversionVisible } from '../conversions/read.js';
import type { Db } from '../db/database.js';
import { creatorEnrolledIn, findEnrollment, findProgramForApplication } from '../enrollments/repository.js';
import { alertVisible } from '../fraud/service.js';
import type { OwnershipCheck, OwnershipChecks } from '../http/ownership.js';
import { linkVisible } from '../links/repository.js';
import { ownerOf } from '../links/service.js';
import { findMessage } from '../mail/repository.js';
import { flagVisible, payoutOrRunVisible, payoutViewerOf, payoutVisible, runVisible } from '../payouts/reads.js';
import { productExists } from '../products/repository.js';
import { findProgramForCreator, programExists } from '../programs/repository.js';
import { type WorkspaceScope, workspaceScope } from '../shared/principal.js';
import { memberExists, workspaceExists } from '../workspaces/repository.js';

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
    // A brand sees the enrollments of its programs; a creator its own.
    enrollment: async (principal, id) => {
      if (principal?.workspace)
        return (await findEnrollment(db, { scope: workspaceScope(principal) }, id)) !== undefined;
      if (principal?.creatorId) return (await findEnrollment(db, { creatorId: principal.creatorId }, id)) !== undefined;
      return false;
    },
    // A program to enroll in: a brand names its own programs; a creator applies to a program of any
    // brand (whether it takes applications is the enrollment's own answer), so any program is seen.
    applicableProgram: async (principal, id) => {
      if (principal?.workspace) return programExists(db, workspaceScope(principal), id);
      if (principal?.creatorId) return (await findProgramForApplication(db, id)) !== undefined;
      return false;
    },
    // A program's terms: a brand reads its own programs; a creator those it is enrolled in or that are open.
    readableProgram: async (principal, id) => {
      if (principal?.workspace) return programExists(db, workspaceScope(principal), id);
      if (principal?.creatorId) return (await findProgramForCreator(db, principal.creatorId, id)) !== undefined;
      return false;
    },
    // A creator sees itself; a brand the creators enrolled (in any status) in its programs.
    creator: async (principal, id) => {
      if (principal?.workspace) return creatorEnrolledIn(db, workspaceScope(principal), id);
      return principal?.creatorId === id;
    },
    // A workspace: the operator's routes name any workspace that exists; anyone else only their own.
    workspace: async (principal, id) => {
      if (principal?.isOperator) return workspaceExists(db, id);
      return principal?.workspace?.id === id;
    },
    // An email of the outbox: the instance's, read by the operator only.
    email: async (principal, id) => (principal?.isOperator ? (await findMessage(db, id)) !== undefined : false),
    // An API key of the caller's workspace, or of the caller's creator account.
    apiKey: async (principal, id) => {
      if (principal?.workspace) return apiKeyVisible(db, { workspaceId: principal.workspace.id }, id);
      if (principal?.creatorId) return apiKeyVisible(db, { creatorId: principal.creatorId }, id);
      return false;
    },
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
