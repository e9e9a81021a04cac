import { AppError } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { getPipelineBacklog } from "@meterplane/usage";

/** Seconds a collector is told to wait when the backlog is full; its spool keeps the samples meanwhile. */
export const backlogRetryAfterSeconds = 10;

let last: { at: number; batches: Promise<number> } | undefined;

/**
 * Refuses new batches (429 BACKLOG_FULL), but not replays of stored ones, while more than `limit` stored batches wait for aggregation. The
 * bounded count is shared by every request of this process for a second, so the check costs one small
 * query per second, not one per batch.
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
  if (!last || now - last.at > 1000) {
    const batches = getPipelineBacklog({ db, limit }).then((b) => b.batches);
    last = { at: now, batches };
    batches.catch(() => {
      last = undefined;
    });
  }
  if ((await last.batches) >= limit && !(await isReplay()))
    throw new AppError(
      "BACKLOG_FULL",
      `aggregation is behind by ${limit} or more batches; keep this batch and retry in ${backlogRetryAfterSeconds} seconds`,
    );
}
