import type { Database } from "@meterplane/db";

/**
 * Whether a batch is already stored under this (host, sequence): ingest asks before refusing a batch for
 * back-pressure, so a collector replaying a batch it was never told was stored (its acknowledgement lost)
 * gets its `duplicate` at once rather than a 429 and another round of retries.
 */
export async function isStoredBatch({
  db,
  hostId,
  sequence,
}: {
  db: Database;
  hostId: string;
  sequence: number;
}): Promise<boolean> {
  const { rowCount } = await db.pool.query(
    `SELECT 1 FROM "BatchKey" WHERE "hostId" = $1 AND "sequence" = $2`,
    [hostId, sequence],
  );
  return Boolean(rowCount);
}
