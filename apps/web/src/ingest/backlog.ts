import { AppError } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { boundPipelineBacklog } from "@meterplane/usage";

/** Seconds a collector is told to wait when the backlog is full; its spool keeps the samples meanwhile. */
export const backlogRetryAfterSeconds = 10;

let last: { at: number; batches: Promise<number>; dueMs: number } | undefined;

/**
 * Refuses new batches (429 BACKLOG_FULL), but not replays of stored ones, while `limit` or more stored
 * batches wait for aggregation. The figure is shared by every request of this process and read again after
 * 5 s, or after 1 s once it is within a fifth of the limit: one query every few seconds, not one per batch.
 * It is a bound that costs Postgres one index probe while it is under the limit, and the count (which walks
 * every waiting batch) only once it is not (`boundPipelineBacklog`). Between two reads the backlog can pass
 * the limit by what arrives in 5 s; the limit is a bound on memory and lag, not an exact figure.
 */
export async function assertBacklogRoom({
  db,
  limit,
  isReplay,
}: {
  db: Database;
  limit: number;
  /** Asked only when the backlog is full: a replay is answered (as a duplicate), never refused. */
  isReplay: () => Promise<boolean>;
}) {
  const now = Date.now();
  if (!last || now - last.at > last.dueMs) {
    const batches = boundPipelineBacklog({ db, limit });
    const read = { at: now, batches, dueMs: 1000 };
    last = read;
    batches.then(
      (n) => {
        if (n < 0.8 * limit) read.dueMs = 5000;
      },
      () => {
        last = undefined;
      },
    );
  }
  if ((await last.batches) >= limit && !(await isReplay()))
    throw new AppError(
      "BACKLOG_FULL",
      `aggregation is behind by ${limit} or more batches; keep this batch and retry in ${backlogRetryAfterSeconds} seconds`,
    );
}
