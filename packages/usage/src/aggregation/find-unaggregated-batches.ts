import type { Database } from "@meterplane/db";
import type { BatchRef } from "./aggregate-batches.ts";

/**
 * Batches stored but not yet aggregated and older than `olderThanMs`: the work a lost queue job left
 * behind (Redis flushed, a worker killed). The sweeper re-enqueues them; Postgres is the source of truth.
 */
export async function findUnaggregatedBatches({
  db,
  olderThanMs = 0,
  limit = 1000,
}: {
  db: Database;
  olderThanMs?: number;
  limit?: number;
}): Promise<BatchRef[]> {
  const { rows } = await db.pool.query<{ id: string; receivedAt: Date; hostId: string }>(
    `SELECT id, "receivedAt", "hostId" FROM "SampleBatch"
      WHERE "aggregatedAt" IS NULL AND "deadLetteredAt" IS NULL AND "receivedAt" < now() - make_interval(secs => $1)
      ORDER BY "receivedAt" LIMIT $2`,
    [olderThanMs / 1000, limit],
  );
  return rows.map((row) => ({ batchId: row.id, receivedAt: row.receivedAt, hostId: row.hostId }));
}
