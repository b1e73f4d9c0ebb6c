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
  setIntegration,
} from './repository.js';
import type { Integration, IntegrationPlatform, PutIntegration, TestOrdersSetting } from './schemas.js';
import { listTestOrders } from './test-orders.js';

/** What binds a sealed secret to its row: it opens for this program and platform only. */
const context = (programId: string, platform: IntegrationPlatform) => `integration:${programId}:${platform}`;

const present = (r: IntegrationsTable): Integration => ({
  programId: r.program_id,
  platform: r.platform,
  configured: true,
  secretHint: `…${r.secret_hint}`,
  testOrders: r.test_orders,
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
  /**
   * Sets the integration's secret and its test-order setting. A new integration needs a secret;
   * an existing one keeps what the body leaves out. Test orders are recorded apart unless told.
   */
  async function put(
    scope: WorkspaceScope,
    programId: string,
    platform: IntegrationPlatform,
    body: PutIntegration,
  ): Promise<Integration> {
    await programs.getActive(scope, programId);
    const { webhookSecret, testOrders } = body;
    const problem = webhookSecret === undefined ? undefined : secretProblem(platform, webhookSecret);
    if (problem) {
      throw new AppError('VALIDATION_FAILED', problem, [{ path: 'body.webhookSecret', message: problem }]);
    }
    const now = clock.now().toISOString();
    return db.transaction().execute(async (tx) => {
      const existing = await findIntegration(tx, programId, platform);
      if (!existing && webhookSecret === undefined) {
        const message = 'a new integration needs its webhook secret';
        throw new AppError('VALIDATION_FAILED', message, [{ path: 'body.webhookSecret', message }]);
      }
      const secret =
        webhookSecret === undefined
          ? undefined
          : {
              secret_sealed: sealSecret(webhookSecret, instanceSecret, context(programId, platform)),
              secret_hint: webhookSecret.slice(-4),
            };
      if (existing) {
        const change = { ...secret, ...(testOrders ? { test_orders: testOrders } : {}), updated_at: now };
        await setIntegration(tx, existing.id, change);
        return present({ ...existing, ...change });
      }
      const row: IntegrationsTable = {
        id: newId('integration'),
        workspace_id: scope.workspaceId,
        program_id: programId,
        platform,
        secret_sealed: secret?.secret_sealed ?? '',
        secret_hint: secret?.secret_hint ?? '',
        test_orders: testOrders ?? 'record',
        created_at: now,
        updated_at: now,
      };
      await insertIntegration(tx, row);
      return present(row);
    });
  }

  /** The test orders kept apart for a program and platform, the latest first. */
  async function testOrders(scope: WorkspaceScope, programId: string, platform: IntegrationPlatform, limit: number) {
    await programs.get(scope, programId);
    return listTestOrders(db, scope.workspaceId, programId, platform, limit);
  }

  async function list(scope: WorkspaceScope, programId: string): Promise<Integration[]> {
    await programs.get(scope, programId);
    const rows = await listIntegrations(db, scope.workspaceId, programId);
    return rows.map(present);
  }

  async function remove(scope: WorkspaceScope, programId: string, platform: IntegrationPlatform): Promise<void> {
    if (!(await deleteIntegration(db, scope.workspaceId, programId, platform))) throw notFound('Integration');
  }

  /** What receiving a delivery needs: the plain secret and the test-order setting; undefined without an integration. */
  async function deliverySettings(
    programId: string,
    platform: IntegrationPlatform,
  ): Promise<{ secret: string; testOrders: TestOrdersSetting } | undefined> {
    const row = await findIntegration(db, programId, platform);
    if (!row) return undefined;
    return {
      secret: openSecret(row.secret_sealed, instanceSecret, context(programId, platform)),
      testOrders: row.test_orders,
    };
  }

  /** The plain secret, for verifying a webhook of this program; undefined when none is set. */
  async function webhookSecret(programId: string, platform: IntegrationPlatform): Promise<string | undefined> {
    const row = await findIntegration(db, programId, platform);
    return row ? openSecret(row.secret_sealed, instanceSecret, context(programId, platform)) : undefined;
  }

  return { put, list, remove, webhookSecret, deliverySettings, testOrders };
}

export type IntegrationsService = ReturnType<typeof integrationsService>;
