import type { Db } from '../db/database.js';
import type { IntegrationsTable } from '../db/schema.js';
import type { ProgramsService } from '../programs/service.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { WorkspaceScope } from '../shared/principal.js';
import { openSecret, sealSecret } from '../shared/secrets.js';
import {
  deleteIntegration,
  findIntegration,
  insertIntegration,
  listIntegrations,
  setIntegrationSecret,
} from './repository.js';
import type { Integration, IntegrationPlatform } from './schemas.js';

/** What binds a sealed secret to its row: it opens for this program and platform only. */
const context = (programId: string, platform: IntegrationPlatform) => `integration:${programId}:${platform}`;

const present = (r: IntegrationsTable): Integration => ({
  programId: r.program_id,
  platform: r.platform,
  configured: true,
  secretHint: `…${r.secret_hint}`,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Checks a secret's form where the platform gives it one. */
function secretProblem(platform: IntegrationPlatform, secret: string): string | undefined {
  if (platform === 'stripe' && !/^whsec_[A-Za-z0-9+/=_-]{8,}$/.test(secret)) {
    return 'a Stripe webhook signing secret starts with whsec_ (Dashboard → Developers → Webhooks → Signing secret)';
  }
  if (/\s/.test(secret)) return 'a webhook secret has no spaces or line breaks';
  return undefined;
}

export function integrationsService({
  db,
  clock,
  programs,
  instanceSecret,
}: {
  db: Db;
  clock: Clock;
  programs: ProgramsService;
  instanceSecret: string;
}) {
  async function put(
    scope: WorkspaceScope,
    programId: string,
    platform: IntegrationPlatform,
    webhookSecret: string,
  ): Promise<Integration> {
    await programs.getActive(scope, programId);
    const problem = secretProblem(platform, webhookSecret);
    if (problem) {
      throw new AppError('VALIDATION_FAILED', problem, [{ path: 'body.webhookSecret', message: problem }]);
    }
    const now = clock.now().toISOString();
    const sealed = sealSecret(webhookSecret, instanceSecret, context(programId, platform));
    const hint = webhookSecret.slice(-4);
    return db.transaction().execute(async (tx) => {
      const existing = await findIntegration(tx, programId, platform);
      const row: IntegrationsTable = existing
        ? { ...existing, secret_sealed: sealed, secret_hint: hint, updated_at: now }
        : {
            id: newId('integration'),
            workspace_id: scope.workspaceId,
            program_id: programId,
            platform,
            secret_sealed: sealed,
            secret_hint: hint,
            created_at: now,
            updated_at: now,
          };
      if (existing)
        await setIntegrationSecret(tx, existing.id, { secret_sealed: sealed, secret_hint: hint, updated_at: now });
      else await insertIntegration(tx, row);
      return present(row);
    });
  }

  async function list(scope: WorkspaceScope, programId: string): Promise<Integration[]> {
    await programs.get(scope, programId);
    const rows = await listIntegrations(db, scope.workspaceId, programId);
    return rows.map(present);
  }

  async function remove(scope: WorkspaceScope, programId: string, platform: IntegrationPlatform): Promise<void> {
    if (!(await deleteIntegration(db, scope.workspaceId, programId, platform))) throw notFound('Integration');
  }

  /** The plain secret, for verifying a webhook of this program; undefined when none is set. */
  async function webhookSecret(programId: string, platform: IntegrationPlatform): Promise<string | undefined> {
    const row = await findIntegration(db, programId, platform);
    return row ? openSecret(row.secret_sealed, instanceSecret, context(programId, platform)) : undefined;
  }

  return { put, list, remove, webhookSecret };
}

export type IntegrationsService = ReturnType<typeof integrationsService>;
