import type { WorkspaceScope } from '../accounts/principal.js';
import type { Db } from '../db/database.js';
import { productExists } from '../products/repository.js';
import { programExists } from '../programs/repository.js';
import { memberExists } from '../workspaces/repository.js';

export type ResourceKind = 'program' | 'product' | 'member';

/** One check per kind of object that a path can name: does it exist in the caller's workspace? */
export const ownershipChecks: Record<ResourceKind, (db: Db, scope: WorkspaceScope, id: string) => Promise<boolean>> = {
  program: programExists,
  product: productExists,
  member: memberExists,
};
