/**
 * What waits for a brand's attention, counted exactly across its programs: the overview's "to do"
 * card in one request. Each count reads the table of the domain that owns it; nothing is written.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../db/database.js';
import { errorResponses } from '../http/schemas.js';
import { type WorkspaceScope, workspaceScope } from '../shared/principal.js';
import { type ToDo, toDoSchema } from './to-do-schemas.js';

const count = (row: { n: number | string } | undefined) => Number(row?.n ?? 0);

export async function toDo(db: Db, scope: WorkspaceScope): Promise<ToDo> {
  const ws = scope.workspaceId;
  const [held, applied, alerts, payouts, failing] = await Promise.all([
    db
      .selectFrom('commissions')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('workspace_id', '=', ws)
      .where('status', '=', 'pending')
      .where('hold_reason', 'is not', null)
      .executeTakeFirst(),
    db
      .selectFrom('enrollments')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('workspace_id', '=', ws)
      .where('status', '=', 'applied')
      .executeTakeFirst(),
    db
      .selectFrom('code_alerts')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('workspace_id', '=', ws)
      .where('status', '=', 'open')
      .executeTakeFirst(),
    db
      .selectFrom('payouts')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('workspace_id', '=', ws)
      .where('status', 'in', ['pending', 'processing'])
      .executeTakeFirst(),
    // Each connected integration's latest delivery (ids are time-ordered), when it went wrong.
    db
      .selectFrom('integrations as i')
      .innerJoin('programs as p', 'p.id', 'i.program_id')
      .innerJoin('webhook_deliveries as d', (join) =>
        join.onRef('d.program_id', '=', 'i.program_id').onRef('d.platform', '=', 'i.platform'),
      )
      .select(['i.program_id', 'p.name', 'i.platform', 'd.outcome', 'd.refusal', 'd.error_code', 'd.received_at'])
      .where('i.workspace_id', '=', ws)
      .where('d.id', '=', (eb) =>
        eb
          .selectFrom('webhook_deliveries as last')
          .select((e) => e.fn.max('last.id').as('id'))
          .whereRef('last.program_id', '=', 'i.program_id')
          .whereRef('last.platform', '=', 'i.platform'),
      )
      .where('d.outcome', 'in', ['refused', 'failed'])
      .orderBy('d.received_at', 'desc')
      .execute(),
  ]);
  return {
    heldCommissions: count(held),
    applications: count(applied),
    openCodeAlerts: count(alerts),
    payoutsToConfirm: count(payouts),
    failingWebhooks: failing.map((r) => ({
      programId: r.program_id,
      programName: r.name,
      platform: r.platform,
      outcome: r.outcome as 'refused' | 'failed',
      reason: r.refusal ?? r.error_code ?? null,
      lastDeliveryAt: r.received_at,
    })),
  };
}

export const toDoRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/v1/workspace/to-do',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['workspace'],
        summary:
          'What waits for the brand across its programs, counted exactly: held commissions, applications, open code alerts, payouts to confirm, failing webhooks',
        response: { 200: toDoSchema, ...errorResponses },
      },
    },
    async (request) => toDo(db, workspaceScope(request.principal)),
  );
};
