import type { CodeViewer } from '../codes/repository.js';
import { findCode } from '../codes/repository.js';
import { insertEvent } from '../conversions/repository.js';
import type { Db, DbOrTx } from '../db/database.js';
import type { CodeAlertsTable } from '../db/schema.js';
import { nobodyToTell, type ProgramChanged } from '../programs/cache.js';
import type { Clock } from '../shared/clock.js';
import { utcDay } from '../shared/days.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { WorkspaceScope } from '../shared/principal.js';
import { fraudSettings } from './check.js';
import { DEFAULT_COUPON_SITES } from './rules.js';
import type { CodeAlert, CodeHealth } from './schemas.js';

const DAY_MS = 86_400_000;
const dayOf = (d: Date) => utcDay(d.getTime());

export async function alertVisible(db: DbOrTx, scope: WorkspaceScope, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('code_alerts')
    .select('id')
    .where('id', '=', id)
    .where('workspace_id', '=', scope.workspaceId)
    .executeTakeFirst();
  return row !== undefined;
}

export function fraudService({
  db,
  clock,
  onChange = nobodyToTell,
}: {
  db: Db;
  clock: Clock;
  onChange?: ProgramChanged | undefined;
}) {
  async function ownProgram(scope: WorkspaceScope, programId: string) {
    const p = await db
      .selectFrom('programs')
      .select('id')
      .where('id', '=', programId)
      .where('workspace_id', '=', scope.workspaceId)
      .executeTakeFirst();
    if (!p) throw notFound('Program');
  }

  async function getSettings(scope: WorkspaceScope, programId: string) {
    await ownProgram(scope, programId);
    return { programId, ...(await fraudSettings(db, programId)), builtInCouponSites: [...DEFAULT_COUPON_SITES] };
  }

  async function putSettings(
    scope: WorkspaceScope,
    programId: string,
    patch: { clickSpamThreshold?: number | undefined; couponSiteDomains?: string[] | undefined },
  ) {
    await ownProgram(scope, programId);
    const current = await fraudSettings(db, programId);
    const next = {
      click_spam_threshold: patch.clickSpamThreshold ?? current.clickSpamThreshold,
      coupon_site_domains: JSON.stringify(patch.couponSiteDomains ?? current.couponSiteDomains),
      updated_at: clock.now().toISOString(),
    };
    await db
      .insertInto('fraud_settings')
      .values({ program_id: programId, ...next })
      .onConflict((oc) => oc.column('program_id').doUpdateSet(next))
      .execute();
    await onChange(programId);
    return getSettings(scope, programId);
  }

  async function present(rows: CodeAlertsTable[]): Promise<CodeAlert[]> {
    if (rows.length === 0) return [];
    const codes = await db
      .selectFrom('codes')
      .select(['id', 'code', 'creator_id'])
      .where(
        'id',
        'in',
        rows.map((r) => r.code_id),
      )
      .execute();
    const out: CodeAlert[] = [];
    for (const r of rows) {
      const code = codes.find((c) => c.id === r.code_id);
      const held = await db
        .selectFrom('commissions')
        .innerJoin('code_uses', 'code_uses.conversion_id', 'commissions.conversion_id')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('code_uses.code_id', '=', r.code_id)
        .where('commissions.hold_reason', '=', 'possible_leaked_code')
        .where('commissions.status', '=', 'pending')
        .executeTakeFirst();
      out.push({
        id: r.id,
        programId: r.program_id,
        codeId: r.code_id,
        code: code?.code ?? '',
        creatorId: code?.creator_id ?? '',
        reason: r.reason,
        detail: r.detail,
        status: r.status,
        resolution: r.resolution,
        note: r.note,
        heldCommissions: Number(held?.n ?? 0),
        openedAt: r.opened_at,
        resolvedAt: r.resolved_at,
      });
    }
    return out;
  }

  async function listAlerts(
    scope: WorkspaceScope,
    programId: string,
    opts: { limit: number; before?: string | undefined; status: 'open' | 'resolved' | 'all' },
  ) {
    await ownProgram(scope, programId);
    let q = db
      .selectFrom('code_alerts')
      .selectAll()
      .where('program_id', '=', programId)
      .where('workspace_id', '=', scope.workspaceId);
    if (opts.status !== 'all') q = q.where('status', '=', opts.status);
    if (opts.before) q = q.where('id', '<', opts.before);
    return present(await q.orderBy('id', 'desc').limit(opts.limit).execute());
  }

  /**
   * A manager's verdict on an alert. `not_leaked` releases the commissions it held (each gets a
   * history entry); `leaked` leaves them held, to be rejected or released one by one.
   */
  async function resolve(
    scope: WorkspaceScope,
    id: string,
    actor: string,
    resolution: 'leaked' | 'not_leaked',
    note: string | undefined,
  ): Promise<CodeAlert> {
    await db.transaction().execute(async (tx) => {
      const alert = await tx
        .selectFrom('code_alerts')
        .selectAll()
        .where('id', '=', id)
        .where('workspace_id', '=', scope.workspaceId)
        .executeTakeFirst();
      if (!alert) throw notFound('Code alert');
      if (alert.status !== 'open') throw new AppError('INVALID_TRANSITION', 'The alert is already resolved');
      const at = clock.now().toISOString();
      await tx
        .updateTable('code_alerts')
        .set({ status: 'resolved', resolution, note: note ?? null, resolved_at: at, resolved_by: actor })
        .where('id', '=', id)
        .execute();
      if (resolution !== 'not_leaked') return;
      const held = await tx
        .selectFrom('commissions')
        .innerJoin('code_uses', 'code_uses.conversion_id', 'commissions.conversion_id')
        .select('commissions.id')
        .where('code_uses.code_id', '=', alert.code_id)
        .where('commissions.hold_reason', '=', 'possible_leaked_code')
        .where('commissions.status', '=', 'pending')
        .execute();
      for (const { id: commissionId } of held) {
        const reason = `hold (possible_leaked_code) released: alert ${id} resolved as not leaked`;
        await tx
          .updateTable('commissions')
          .set({ hold_reason: null, status_reason: reason, updated_at: at })
          .where('id', '=', commissionId)
          .execute();
        await insertEvent(tx, {
          id: newId('commissionEvent'),
          commissionId,
          from: 'pending',
          to: 'pending',
          reason,
          actor,
          at,
        });
      }
    });
    const row = await db.selectFrom('code_alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return (await present([row]))[0] as CodeAlert;
  }

  /** How a code is used: per day, with or without a click, by whom and from where, against its own past. */
  async function health(viewer: CodeViewer, codeId: string, days: number): Promise<CodeHealth> {
    const code = await findCode(db, viewer, codeId);
    if (!code) throw notFound('Code');
    const now = clock.now();
    const from = dayOf(new Date(now.getTime() - (days - 1) * DAY_MS));
    const baselineFrom = dayOf(new Date(now.getTime() - (days - 1 + 28) * DAY_MS));
    const rows = await db
      .selectFrom('code_use_days')
      .selectAll()
      .where('code_id', '=', codeId)
      .where('day', '>=', baselineFrom)
      .orderBy('day')
      .execute();
    const inWindow = rows.filter((r) => r.day >= from);
    const before = rows.filter((r) => r.day < from);
    const sum = (list: typeof rows, key: 'uses' | 'no_click_uses' | 'new_customer_uses' | 'coupon_site_uses') =>
      list.reduce((s, r) => s + Number(r[key]), 0);
    const uses = sum(inWindow, 'uses');
    const baseUses = sum(before, 'uses');
    const usesPerDay: CodeHealth['usesPerDay'] = [];
    for (let d = days - 1; d >= 0; d--) {
      const key = dayOf(new Date(now.getTime() - d * DAY_MS));
      const r = inWindow.find((x) => x.day === key);
      usesPerDay.push({ day: key, uses: Number(r?.uses ?? 0), noClickUses: Number(r?.no_click_uses ?? 0) });
    }
    const grouped = async (column: 'referrer_host' | 'country') =>
      db
        .selectFrom('code_uses')
        .select([column, (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('code_id', '=', codeId)
        .where('day', '>=', from)
        .where(column, 'is not', null)
        .groupBy(column)
        .orderBy('n', 'desc')
        .limit(10)
        .execute();
    const referrers = await grouped('referrer_host');
    const countries = await grouped('country');
    const alerts = await present(
      await db
        .selectFrom('code_alerts')
        .selectAll()
        .where('code_id', '=', codeId)
        .orderBy('id', 'desc')
        .limit(20)
        .execute(),
    );
    return {
      codeId,
      code: code.code,
      creatorId: code.creatorId,
      from,
      to: dayOf(now),
      uses,
      usesPerDay,
      noClickShare: uses ? sum(inWindow, 'no_click_uses') / uses : null,
      baselineNoClickShare: baseUses ? sum(before, 'no_click_uses') / baseUses : null,
      newCustomerShare: uses ? sum(inWindow, 'new_customer_uses') / uses : null,
      couponSiteUses: sum(inWindow, 'coupon_site_uses'),
      topReferrers: referrers.map((r) => ({ host: String(r.referrer_host), uses: Number(r.n) })),
      countries: countries.map((r) => ({ country: String(r.country), uses: Number(r.n) })),
      status: alerts.some((a) => a.status === 'open') ? 'alert' : 'ok',
      alerts,
    };
  }

  return { getSettings, putSettings, listAlerts, resolve, health };
}

export type FraudService = ReturnType<typeof fraudService>;
