import type { Readable } from 'node:stream';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import { eventsCsv } from './events.js';
import { labelsOf } from './labels.js';
import { chosenMetrics, countGrouped, metricsOf, orderOf, pick, rangeOf } from './query.js';
import type { AnalyticsAnswer, AnalyticsQuery, EventsQuery, Metrics } from './schemas.js';
import { timeGroups } from './schemas.js';
import { checkFilters, scopeOf } from './scope.js';
import { countTop } from './top.js';

export function analyticsService({ db, clock }: { db: Db; clock: Clock }) {
  /** One analytics query: groups with their metrics, and the totals, in the currency of the programs in scope. */
  async function query(principal: Principal, q: AnalyticsQuery): Promise<AnalyticsAnswer> {
    const names = chosenMetrics(q);
    const order = orderOf(q);
    const scope = await scopeOf(db, principal, q);
    const currencies = new Set(scope.programs.map((p) => p.currency));
    if (currencies.size > 1) {
      throw new AppError('VALIDATION_FAILED', 'The programs in scope use several currencies; name one with programId', [
        { path: 'querystring.programId', message: `programs in ${[...currencies].sort().join(', ')}: name one` },
      ]);
    }
    const range = rangeOf(q, scope, clock.now());
    await checkFilters(db, scope, q);
    const grouped = (await countTop(db, scope, q, range)) ?? (await countGrouped(db, scope, q, range));
    const isTime = q.groupBy !== undefined && (timeGroups as readonly string[]).includes(q.groupBy);
    const metricsFor = (key: string) => {
      const acc = grouped.groups.get(key);
      return metricsOf(
        acc ?? { leads: 0, sales: 0, gmv: 0, refunds: 0, commissions: 0, clicks: 0, uniqueClicks: 0, views: 0 },
        grouped.clicksApply,
        grouped.viewsApply,
      );
    };
    let rows: { key: string; label: string; metrics: Metrics }[];
    if (isTime && grouped.keys) {
      rows = grouped.keys.map((key) => ({ key, label: key, metrics: metricsFor(key) }));
    } else if (q.groupBy) {
      rows = [...grouped.groups.keys()].map((key) => ({ key, label: key, metrics: metricsFor(key) }));
    } else {
      rows = [];
    }
    if (order || !isTime) {
      const by = order?.by ?? 'netGmv';
      const ascending = order?.ascending ?? false;
      const value = (r: (typeof rows)[number]) => (by === 'key' ? r.key : r.metrics[by]);
      rows.sort((a, b) => {
        const va = value(a);
        const vb = value(b);
        if (va !== vb) {
          if (va === null) return 1;
          if (vb === null) return -1;
          return (va < vb ? -1 : 1) * (ascending ? 1 : -1);
        }
        if (!order && (a.metrics.clicks ?? 0) !== (b.metrics.clicks ?? 0)) {
          return (b.metrics.clicks ?? 0) - (a.metrics.clicks ?? 0);
        }
        return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
      });
    }
    if (!isTime) rows = rows.slice(0, q.limit);
    if (q.groupBy && !isTime) {
      const labels = await labelsOf(
        db,
        q.groupBy,
        rows.map((r) => r.key),
      );
      for (const r of rows) r.label = labels.get(r.key) ?? r.key;
    }
    return {
      data: rows.map((r) => ({ key: r.key, label: r.label, ...pick(r.metrics, names) })),
      totals: pick(metricsOf(grouped.totals, grouped.clicksApply, grouped.viewsApply), names),
      currency: [...currencies][0] ?? null,
      timezone: range.timezone,
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
      groupBy: q.groupBy ?? null,
    };
  }

  /** The raw events of a period as CSV, for the caller's scope (a creator: only its own). */
  async function events(principal: Principal, q: EventsQuery): Promise<Readable> {
    const scope = await scopeOf(db, principal, { ...q, limit: 1 });
    const range = rangeOf({ ...q, limit: 1 }, scope, clock.now());
    if (q.creatorId) await checkFilters(db, scope, { creatorId: q.creatorId, limit: 1 });
    return eventsCsv(db, q.kind, {
      programIds: scope.programs.map((p) => p.id),
      creatorId: scope.creatorId ?? q.creatorId,
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
    });
  }

  return { query, events };
}

export type AnalyticsService = ReturnType<typeof analyticsService>;
