/** What the redirect's thread and the click writer thread (sqlite-worker.ts) send each other. */
export type WorkerRequest =
  | {
      seq: number;
      /** The batch, encoded by `encodeClicks`. */
      clicks: string;
    }
  /** The log length at which this connection checkpoints itself (see checkpointer.ts). */
  | { checkpointPages: number };

export type WorkerReply = { seq: number; unique: Uint8Array } | { seq: number; error: string };
