import type { Database } from "@meterplane/db";

export interface PipelineBacklog {
  /** Stored but unaggregated batches, counted up to `limit` (beyond it the exact number does not matter). */
  batches: number;
  /** Age of the oldest unaggregated batch: how far the rollups lag behind ingest; 0 when none waits. */
  lagSeconds: number;
}

/**
 * What ingest has acknowledged and aggregation has not yet folded in. Both figures come from the
 * ("aggregatedAt", "receivedAt") index, and the count stops at `limit`, so the cost stays bounded however
 * large the backlog grows: ingest asks on its hot path (through a short cache) to decide on 429.
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
            (SELECT min("receivedAt") FROM "SampleBatch"
              WHERE "aggregatedAt" IS NULL AND "deadLetteredAt" IS NULL) AS oldest`,
    [limit],
  );
  const row = rows[0];
  const oldest = row?.oldest ? row.oldest.getTime() : null;
  return {
    batches: Number(row?.batches ?? 0),
    lagSeconds: oldest === null ? 0 : Math.max(0, (Date.now() - oldest) / 1000),
  };
}
