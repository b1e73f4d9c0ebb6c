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

/**
 * Told once a click's batch has committed (with its unique flag) or failed (with the error).
 * A callback rather than a promise: the redirect waits for every click, and without a promise
 * and an async function per click (and with faster ids) it answered about 8 % more requests a second
 * (docs/decisions/0003-click-capture.md).
 */
export type ClickDone = (err: unknown, unique: boolean) => void;
