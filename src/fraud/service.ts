import type { CodeViewer } from '../codes/repository.js';
import { findCode } from '../codes/repository.js';
import * as ledger from '../commissions/ledger.js';
import { countHeldForLeakedCode, idsHeldForLeakedCode } from '../commissions/repository.js';
import type { Db, DbOrTx } from '../db/database.js';
import type { CodeAlertsTable } from '../db/schema.js';
import { nobodyToTell, type ProgramChanged } from '../programs/cache.js';
import { programExists } from '../programs/repository.js';
import type { Clock } from '../shared/clock.js';
import { utcDay } from '../shared/days.js';
import { AppError, notFound } from '../shared/errors.js';
import type { WorkspaceScope } from '../shared/principal.js';
import { DAY_MS } from '../shared/time.js';
import { fraudSettings } from './check.js';
import * as repo from './repository.js';
import { DEFAULT_COUPON_SITES } from './rules.js';
import type { CodeAlert, CodeHealth } from './schemas.js';

const dayOf = (d: Date) => utcDay(d.getTime());

export function alertVisible(db: DbOrTx, scope: WorkspaceScope, id: string): Promise<boolean> {
  return repo.alertVisible(db, scope.workspaceId, id);
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
    if (!(await programExists(db, scope, programId))) throw notFound('Program');
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
    await repo.saveFraudSettings(db, {
      program_id: programId,
      click_spam_threshold: patch.clickSpamThreshold ?? current.clickSpamThreshold,
      coupon_site_domains: JSON.stringify(patch.couponSiteDomains ?? current.couponSiteDomains),
      updated_at: clock.now().toISOString(),
    });
    await onChange(programId);
    return getSettings(scope, programId);
  }

  async function present(rows: CodeAlertsTable[]): Promise<CodeAlert[]> {
    if (rows.length === 0) return [];
    const codes = await repo.codesOfAlerts(
      db,
      rows.map((r) => r.code_id),
    );
    const out: CodeAlert[] = [];
    for (const r of rows) {
      const code = codes.find((c) => c.id === r.code_id);
      const held = await countHeldForLeakedCode(db, r.code_id);
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
        heldCommissions: held,
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
    return present(await repo.listAlerts(db, scope.workspaceId, programId, opts));
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
      const alert = await repo.findAlert(tx, scope.workspaceId, id);
      if (!alert) throw notFound('Code alert');
      if (alert.status !== 'open') throw new AppError('INVALID_TRANSITION', 'The alert is already resolved');
      const at = clock.now().toISOString();
      await repo.resolveAlert(tx, id, { resolution, note: note ?? null, resolved_at: at, resolved_by: actor });
      if (resolution !== 'not_leaked') return;
      const held = await idsHeldForLeakedCode(tx, alert.code_id);
      const reason = `hold (possible_leaked_code) released: alert ${id} resolved as not leaked`;
      await ledger.releaseHold(tx, held, { reason, actor, at });
    });
    return (await present([await repo.getAlert(db, id)]))[0] as CodeAlert;
  }

  /** How a code is used: per day, with or without a click, by whom and from where, against its own past. */
  async function health(viewer: CodeViewer, codeId: string, days: number): Promise<CodeHealth> {
    const code = await findCode(db, viewer, codeId);
    if (!code) throw notFound('Code');
    const now = clock.now();
    const from = dayOf(new Date(now.getTime() - (days - 1) * DAY_MS));
    const baselineFrom = dayOf(new Date(now.getTime() - (days - 1 + 28) * DAY_MS));
    const rows = await repo.codeUseDays(db, codeId, baselineFrom);
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
    const grouped = (column: 'referrer_host' | 'country') => repo.codeUsesBy(db, codeId, from, column);
    const referrers = await grouped('referrer_host');
    const countries = await grouped('country');
    const alerts = await present(await repo.alertsOfCode(db, codeId, 20));
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
