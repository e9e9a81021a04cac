import type { Logger } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import type { AggregateJob } from "@meterplane/queue";
import { findUnaggregatedBatches } from "@meterplane/usage";
import type { Queue } from "bullmq";

/**
 * Re-enqueues batches that Postgres holds but nobody aggregated: their job was lost with Redis, or failed
 * for good. Job ids carry the sweep's time so an old failed job of the same batch cannot block the new one;
 * a batch enqueued twice is harmless (aggregation skips what is already aggregated).
 */
export async function sweepUnaggregated({
  db,
  queue,
  olderThanMs,
  log,
}: {
  db: Database;
  queue: Queue<AggregateJob>;
  olderThanMs: number;
  log: Logger;
}) {
  const batches = await findUnaggregatedBatches({ db, olderThanMs });
  if (!batches.length) return 0;
  const sweep = Date.now();
  await queue.addBulk(
    batches.map((b) => ({
      name: "aggregate",
      data: { batchId: b.batchId, receivedAt: new Date(b.receivedAt).toISOString() },
      opts: { jobId: `sweep-${b.batchId}-${sweep}` },
    })),
  );
  log.info({ count: batches.length }, "re-enqueued unaggregated batches");
  return batches.length;
}
