import type { Principal } from '../shared/principal.js';

/**
 * The kinds of object that a route's path id can name (a route's `config.resource`): the parameter
 * `id`, or else the one whose name ends in `Id` (`workspaceId`).
 */
export type ResourceKind =
  | 'program'
  | 'product'
  | 'member'
  | 'enrollment'
  | 'link'
  | 'content'
  | 'code'
  | 'commission'
  | 'conversion'
  | 'codeAlert'
  | 'payout'
  | 'payoutRun'
  | 'payoutOrRun'
  | 'payoutFlag'
  | 'applicableProgram'
  | 'creator'
  | 'apiKey'
  | 'workspace'
  | 'readableProgram'
  | 'email';

/** Whether the caller may see the object of this id; an object the caller may not see is answered as not found. */
export type OwnershipCheck = (principal: Principal | undefined, id: string) => Promise<boolean>;

/** One check per kind of object; the server gives the table (server/ownership.ts), each domain its check. */
export type OwnershipChecks = Record<ResourceKind, OwnershipCheck>;

/** How a not-found answer names each kind of object. */
export const ownershipLabels: Record<ResourceKind, string> = {
  program: 'Program',
  product: 'Product',
  member: 'Member',
  enrollment: 'Enrollment',
  link: 'Link',
  content: 'Content',
  code: 'Code',
  commission: 'Commission',
  conversion: 'Conversion',
  codeAlert: 'Code alert',
  payout: 'Payout',
  payoutRun: 'Payout run',
  payoutOrRun: 'Payout',
  payoutFlag: 'Payout flag',
  applicableProgram: 'Program',
  creator: 'Creator',
  apiKey: 'API key',
  workspace: 'Workspace',
  readableProgram: 'Program',
  email: 'Email',
};
