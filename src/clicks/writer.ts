import type { DbOrTx } from '../accounts/repository.js';
import type { Db } from '../db/database.js';
import type { Placement } from '../db/schema.js';

/** One visit of a link, as captured by the redirect before it answers. */
export interface ClickRecord {
  id: string;
  linkId: string;
  programId: string;
  creatorId: string;
  contentId: string | null;
  placement: Placement;
  at: Date;
  visitorHash: string;
  device: string;
  browser: string;
  os: string;
  country: string;
  referrer: string;
  isBot: boolean;
}

export interface StoredClick extends ClickRecord {
  isUnique: boolean;
}

interface Pending {
  click: ClickRecord;
  resolve: (unique: boolean) => void;
  reject: (err: unknown) => void;
}

export interface ClickWriterOptions {
  /** How long the first click of a batch waits for others to join it. */
  maxDelayMs?: number;
  /** A batch is written at once when it reaches this size. */
  maxBatch?: number;
}

const hourOf = (d: Date) => d.toISOString().slice(0, 13);
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

interface Counts {
  clicks: number;
  unique: number;
  bots: number;
}

function add(map: Map<string, Counts>, key: string, click: StoredClick) {
  let c = map.get(key);
  if (!c) {
    c = { clicks: 0, unique: 0, bots: 0 };
    map.set(key, c);
  }
  if (click.isBot) c.bots += 1;
  else {
    c.clicks += 1;
    if (click.isUnique) c.unique += 1;
  }
}

const SEP = '\u0000';

/**
 * Writes a batch of clicks in one transaction: the unique-visitor marks, the raw clicks, and the
 * additive rollups that statistics read. Rollups and raw clicks can never disagree, because they
 * commit or fail together. Returns each click with its unique flag.
 */
export async function writeClickBatch(tx: DbOrTx, batch: ClickRecord[]): Promise<StoredClick[]> {
  // A person's first click on a link within the salt day is unique; bots never are.
  const firstOfBatch = new Map<string, ClickRecord>();
  for (const click of batch) {
    if (click.isBot) continue;
    const key = `${click.linkId}${SEP}${dayOf(click.at)}${SEP}${click.visitorHash}`;
    if (!firstOfBatch.has(key)) firstOfBatch.set(key, click);
  }
  const fresh = new Set<ClickRecord>();
  const candidates = [...firstOfBatch.entries()];
  for (let i = 0; i < candidates.length; i += 500) {
    const chunk = candidates.slice(i, i + 500);
    const inserted = await tx
      .insertInto('click_visitors')
      .values(chunk.map(([, c]) => ({ link_id: c.linkId, day: dayOf(c.at), visitor_hash: c.visitorHash })))
      .onConflict((oc) => oc.doNothing())
      .returning(['link_id', 'day', 'visitor_hash'])
      .execute();
    for (const row of inserted) {
      const click = firstOfBatch.get(`${row.link_id}${SEP}${row.day}${SEP}${row.visitor_hash}`);
      if (click) fresh.add(click);
    }
  }
  const stored: StoredClick[] = batch.map((c) => ({ ...c, isUnique: fresh.has(c) }));

  for (let i = 0; i < stored.length; i += 500) {
    await tx
      .insertInto('clicks')
      .values(
        stored.slice(i, i + 500).map((c) => ({
          id: c.id,
          link_id: c.linkId,
          program_id: c.programId,
          creator_id: c.creatorId,
          content_id: c.contentId,
          placement: c.placement,
          at: c.at.toISOString(),
          visitor_hash: c.visitorHash,
          device: c.device,
          browser: c.browser,
          os: c.os,
          country: c.country,
          referrer: c.referrer,
          is_bot: c.isBot ? 1 : 0,
          is_unique: c.isUnique ? 1 : 0,
        })),
      )
      .execute();
  }

  const hourly = new Map<string, Counts>();
  const daily = new Map<string, Counts>();
  for (const c of stored) {
    add(hourly, `${c.linkId}${SEP}${hourOf(c.at)}`, c);
    const day = dayOf(c.at);
    add(daily, `${c.linkId}${SEP}${day}${SEP}country${SEP}${c.country}`, c);
    add(daily, `${c.linkId}${SEP}${day}${SEP}device${SEP}${c.device}`, c);
    add(daily, `${c.linkId}${SEP}${day}${SEP}referrer${SEP}${c.referrer}`, c);
  }
  // Keys in a fixed order, so that concurrent writers on PostgreSQL lock rows in the same order.
  const hourlyRows = [...hourly.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (let i = 0; i < hourlyRows.length; i += 500) {
    await tx
      .insertInto('link_stats_hourly')
      .values(
        hourlyRows.slice(i, i + 500).map(([key, c]) => {
          const [linkId, hour] = key.split(SEP) as [string, string];
          return { link_id: linkId, hour, clicks: c.clicks, unique_clicks: c.unique, bot_clicks: c.bots };
        }),
      )
      .onConflict((oc) =>
        oc.columns(['link_id', 'hour']).doUpdateSet((eb) => ({
          clicks: eb('link_stats_hourly.clicks', '+', eb.ref('excluded.clicks')),
          unique_clicks: eb('link_stats_hourly.unique_clicks', '+', eb.ref('excluded.unique_clicks')),
          bot_clicks: eb('link_stats_hourly.bot_clicks', '+', eb.ref('excluded.bot_clicks')),
        })),
      )
      .execute();
  }
  const dailyRows = [...daily.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  for (let i = 0; i < dailyRows.length; i += 500) {
    await tx
      .insertInto('link_stats_daily')
      .values(
        dailyRows.slice(i, i + 500).map(([key, c]) => {
          const [linkId, day, dimension, value] = key.split(SEP) as [string, string, 'country', string];
          return {
            link_id: linkId,
            day,
            dimension,
            value,
            clicks: c.clicks,
            unique_clicks: c.unique,
            bot_clicks: c.bots,
          };
        }),
      )
      .onConflict((oc) =>
        oc.columns(['link_id', 'day', 'dimension', 'value']).doUpdateSet((eb) => ({
          clicks: eb('link_stats_daily.clicks', '+', eb.ref('excluded.clicks')),
          unique_clicks: eb('link_stats_daily.unique_clicks', '+', eb.ref('excluded.unique_clicks')),
          bot_clicks: eb('link_stats_daily.bot_clicks', '+', eb.ref('excluded.bot_clicks')),
        })),
      )
      .execute();
  }
  return stored;
}

/**
 * Group commit: clicks that arrive together are written in one transaction. A click's promise
 * resolves only after its transaction has committed, so the redirect that waits for it never
 * answers for a click that is not stored. One batch is written at a time; clicks that arrive
 * meanwhile form the next batch, so batches grow with the load.
 */
export class ClickWriter {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private readonly maxDelayMs: number;
  private readonly maxBatch: number;
  /** Figures for the operator: batches and clicks written since start. */
  readonly stats = { batches: 0, clicks: 0, failedBatches: 0 };

  constructor(
    private readonly db: Db,
    options: ClickWriterOptions = {},
  ) {
    this.maxDelayMs = options.maxDelayMs ?? 2;
    this.maxBatch = options.maxBatch ?? 1000;
  }

  /** Resolves with the click's unique flag once it is committed; rejects if its batch failed. */
  write(click: ClickRecord): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ click, resolve, reject });
      if (this.writing) return; // the running batch starts the next one when it ends
      if (this.queue.length >= this.maxBatch) this.startBatch();
      else this.timer ??= setTimeout(() => this.startBatch(), this.maxDelayMs);
    });
  }

  private startBatch(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.writing || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.writing = this.commit(batch).finally(() => {
      this.writing = undefined;
      if (this.queue.length > 0) this.startBatch();
    });
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const stored = await this.db.transaction().execute((tx) =>
        writeClickBatch(
          tx,
          batch.map((p) => p.click),
        ),
      );
      this.stats.batches += 1;
      this.stats.clicks += batch.length;
      for (let i = 0; i < stored.length; i++) batch[i]?.resolve(stored[i]?.isUnique ?? false);
    } catch (err) {
      this.stats.failedBatches += 1;
      for (const p of batch) p.reject(err);
    }
  }

  /** Writes everything queued; used when the server stops. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.writing) {
      if (!this.writing) this.startBatch();
      await this.writing;
    }
  }
}
