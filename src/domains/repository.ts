import type { DbOrTx } from '../db/database.js';
import type { WorkspaceDomainsTable } from '../db/schema.js';
import { hostAllowed } from '../shared/domains.js';

export type DomainRow = WorkspaceDomainsTable;

export function findDomain(db: DbOrTx, workspaceId: string, domain: string): Promise<DomainRow | undefined> {
  return db
    .selectFrom('workspace_domains')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('domain', '=', domain)
    .executeTakeFirst();
}

export function listDomains(db: DbOrTx, workspaceId: string): Promise<DomainRow[]> {
  return db
    .selectFrom('workspace_domains')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('domain')
    .execute();
}

export async function insertDomain(db: DbOrTx, row: DomainRow): Promise<void> {
  await db.insertInto('workspace_domains').values(row).execute();
}

export async function saveDomain(db: DbOrTx, row: DomainRow): Promise<void> {
  await db
    .updateTable('workspace_domains')
    .set({
      status: row.status,
      method: row.method,
      verified_at: row.verified_at,
      verified_by: row.verified_by,
      last_check: row.last_check,
    })
    .where('id', '=', row.id)
    .execute();
}

/** The domains a workspace has proved control of; a host beneath one of them counts too. */
export async function verifiedDomains(db: DbOrTx, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('workspace_domains')
    .select('domain')
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'verified')
    .execute();
  return rows.map((r) => r.domain);
}

export async function hostVerified(db: DbOrTx, workspaceId: string, host: string): Promise<boolean> {
  return hostAllowed(host, await verifiedDomains(db, workspaceId));
}
