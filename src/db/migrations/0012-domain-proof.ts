import { type Kysely, sql } from 'kysely';
import { newId } from '../../shared/ids.js';

// Domains a workspace has proved control of (its links may send visitors there on an instance
// the world can reach), brand signup invitations, and the counters that stand in for deliveries
// to a program or platform with no webhook secret.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workspace_domains')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('method', 'text')
    .addColumn('verified_at', 'text')
    .addColumn('verified_by', 'text')
    .addColumn('last_check', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('workspace_domains_domain')
    .on('workspace_domains')
    .columns(['workspace_id', 'domain'])
    .unique()
    .execute();

  // Brands that exist already keep working: the domains their programs allow count as proved.
  const now = new Date().toISOString();
  const programs = await sql<{ workspace_id: string; allowed_domains: string }>`
    select workspace_id, allowed_domains from programs order by id`.execute(db);
  const seen = new Set<string>();
  for (const p of programs.rows) {
    let domains: unknown;
    try {
      domains = JSON.parse(p.allowed_domains);
    } catch {
      continue;
    }
    if (!Array.isArray(domains)) continue;
    for (const d of domains) {
      if (typeof d !== 'string' || seen.has(`${p.workspace_id} ${d}`)) continue;
      seen.add(`${p.workspace_id} ${d}`);
      const id = newId('workspaceDomain');
      await sql`insert into workspace_domains
        (id, workspace_id, domain, token, status, method, verified_at, verified_by, last_check, created_at)
        values (${id}, ${p.workspace_id}, ${d}, ${`existing-${id}`}, 'verified', 'existing', ${now}, 'migration 0012', null, ${now})`.execute(
        db,
      );
    }
  }

  await db.schema
    .createTable('brand_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('used_by', 'text')
    .execute();

  await db.schema
    .createTable('webhook_unconfigured_counts')
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_unconfigured_counts_pk', ['program_id', 'platform'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_unconfigured_counts').ifExists().execute();
  await db.schema.dropTable('brand_invitations').ifExists().execute();
  await db.schema.dropTable('workspace_domains').ifExists().execute();
}
