import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { hostAllowed, isPublicSuffix, normaliseHostname } from '../shared/domains.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { WorkspaceScope } from '../shared/principal.js';
import { DNS_LABEL, type DomainProbe, PROOF_PATH, TXT_PREFIX } from './proof.js';
import * as repo from './repository.js';
import type { WorkspaceDomain } from './schemas.js';

const present = (r: repo.DomainRow): WorkspaceDomain => ({
  domain: r.domain,
  status: r.status,
  method: r.method,
  verifiedAt: r.verified_at,
  lastCheck: r.last_check,
  proof:
    r.method === 'existing' || r.method === 'operator'
      ? null
      : {
          token: r.token,
          httpUrl: `https://${r.domain}${PROOF_PATH}`,
          dnsName: `${DNS_LABEL}.${r.domain}`,
          dnsValue: `${TXT_PREFIX}${r.token}`,
        },
});

function domainOf(input: string): string {
  const domain = normaliseHostname(input);
  if (!domain)
    throw new AppError('VALIDATION_FAILED', `${JSON.stringify(input)} is not a domain such as shop.example.com`);
  if (isPublicSuffix(domain))
    throw new AppError('VALIDATION_FAILED', `${domain} is a public suffix, not a domain of yours`);
  return domain;
}

/**
 * Proof of control of a domain. On an instance the world can reach whose brand signup is open,
 * a brand's links send visitors to a domain only once the brand has proved it controls it: a
 * token served at a `/.well-known/` path on the domain, or a DNS TXT record; an operator may
 * also mark a domain verified. A proved domain covers its subdomains.
 */
export function domainsService({
  db,
  clock,
  probe,
  required,
  onVerified,
}: {
  db: Db;
  clock: Clock;
  probe: DomainProbe;
  /** Whether links need proved domains on this instance (see `domainProofRequired`). */
  required: boolean;
  /** Told the workspace whose domain was just verified, so links waiting on it go live. */
  onVerified?: (workspaceId: string) => Promise<void>;
}) {
  async function add(scope: WorkspaceScope, input: string): Promise<{ domain: WorkspaceDomain; created: boolean }> {
    const domain = domainOf(input);
    const existing = await repo.findDomain(db, scope.workspaceId, domain);
    if (existing) return { domain: present(existing), created: false };
    const row: repo.DomainRow = {
      id: newId('workspaceDomain'),
      workspace_id: scope.workspaceId,
      domain,
      token: `kv-${randomBytes(24).toString('base64url')}`,
      status: 'pending',
      method: null,
      verified_at: null,
      verified_by: null,
      last_check: null,
      created_at: clock.now().toISOString(),
    };
    await repo.insertDomain(db, row);
    return { domain: present(row), created: true };
  }

  async function list(scope: WorkspaceScope): Promise<WorkspaceDomain[]> {
    return (await repo.listDomains(db, scope.workspaceId)).map(present);
  }

  async function verify(scope: WorkspaceScope, input: string, actor: string): Promise<WorkspaceDomain> {
    const domain = domainOf(input);
    const row = await repo.findDomain(db, scope.workspaceId, domain);
    if (!row) throw notFound('Domain');
    if (row.status === 'verified') return present(row);
    const check = await probe.check(domain, row.token);
    const at = clock.now().toISOString();
    if (!check.ok) {
      const next = { ...row, last_check: `${at}: ${check.reasons.join('; ')}` };
      await repo.saveDomain(db, next);
      throw new AppError(
        'DOMAIN_NOT_VERIFIED',
        `${domain} is not verified yet: ${check.reasons.join('; ')}. Serve the token at https://${domain}${PROOF_PATH} ` +
          `or publish TXT ${DNS_LABEL}.${domain} "${TXT_PREFIX}${row.token}", then try again`,
      );
    }
    const next: repo.DomainRow = {
      ...row,
      status: 'verified',
      method: check.method,
      verified_at: at,
      verified_by: actor,
      last_check: `${at}: verified by ${check.method === 'http' ? 'the proof file' : 'the TXT record'}`,
    };
    await repo.saveDomain(db, next);
    await onVerified?.(scope.workspaceId);
    return present(next);
  }

  /** The operator vouches for a workspace's domain. */
  async function operatorVerify(workspaceId: string, input: string, operatorId: string): Promise<WorkspaceDomain> {
    const domain = domainOf(input);
    const ws = await db.selectFrom('workspaces').select('id').where('id', '=', workspaceId).executeTakeFirst();
    if (!ws) throw notFound('Workspace');
    const at = clock.now().toISOString();
    const row = await repo.findDomain(db, workspaceId, domain);
    const next: repo.DomainRow = {
      id: row?.id ?? newId('workspaceDomain'),
      workspace_id: workspaceId,
      domain,
      token: row?.token ?? `kv-${randomBytes(24).toString('base64url')}`,
      status: 'verified',
      method: 'operator',
      verified_at: at,
      verified_by: operatorId,
      last_check: `${at}: marked verified by the operator`,
      created_at: row?.created_at ?? at,
    };
    if (row) await repo.saveDomain(db, next);
    else await repo.insertDomain(db, next);
    await onVerified?.(workspaceId);
    return present(next);
  }

  /**
   * Throws 422 DOMAIN_NOT_VERIFIED when links of this workspace may not send visitors to `host`
   * yet; nothing is asked where the instance does not need proofs.
   */
  async function checkHost(workspaceId: string, host: string, path = 'body.destinationUrl'): Promise<void> {
    if (!required) return;
    const verified = await repo.verifiedDomains(db, workspaceId);
    if (hostAllowed(host, verified)) return;
    const message =
      `${host} is not a domain this workspace has proved control of: add it with POST /api/v1/domains, ` +
      'serve its token or publish its TXT record, then POST /api/v1/domains/verify';
    throw new AppError('DOMAIN_NOT_VERIFIED', message, [{ path, message }]);
  }

  return { add, list, verify, operatorVerify, checkHost, required };
}

export type DomainsService = ReturnType<typeof domainsService>;
