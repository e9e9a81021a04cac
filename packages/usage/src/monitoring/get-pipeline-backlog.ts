import { type Database, oldestWaitingBatch } from "@meterplane/db";

export interface PipelineBacklog {
  /** Stored but unaggregated batches, counted up to `limit` (beyond it the exact number does not matter). */
  batches: number;
  /** Age of the oldest unaggregated batch: how far the rollups lag behind ingest; 0 when none waits. */
  lagSeconds: number;
}

/**
 * What ingest has acknowledged and aggregation has not yet folded in, as the dashboard and `/metrics` show
 * it. Both figures come from the ("aggregatedAt", "receivedAt") index, and the count stops at `limit`, so
 * the cost stays bounded however large the backlog grows; still, the count walks every waiting batch
 * (130–320 ms of Postgres at 6,000–7,000 hosts), so ingest's back-pressure reads a bound instead and counts
 * only past its limit (`boundPipelineBacklog`).
 */
export async function getPipelineBacklog({
  db,
  limit = 100_000,
}: {
  db: Database;
  limit?: number;
}): Promise<PipelineBacklog> {
  const { rows } = await db.pool.query<{ batches: string; oldest: Date | null }>(
    `SELECT (SELECT count(*) FROM (SELECT 1 FROM "SampleBatch"
                                    WHERE "aggregatedAt" IS NULL AND "deadLetteredAt" IS NULL LIMIT $1) b) AS batches,
            (SELECT "receivedAt" FROM (${oldestWaitingBatch}) o) AS oldest`,
    [limit],
  );
  const row = rows[0];
  const oldest = row?.oldest ? row.oldest.getTime() : null;
  return {
    batches: Number(row?.batches ?? 0),
    lagSeconds: oldest === null ? 0 : Math.max(0, (Date.now() - oldest) / 1000),
  };
}
