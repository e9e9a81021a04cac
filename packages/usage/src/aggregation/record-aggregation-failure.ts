import type { Database } from "@meterplane/db";
import type { BatchRef } from "./aggregate-batches.ts";

/** Failed tries after which a batch is set aside: a failure of its own does not go away by retrying. */
export const maxAggregationAttempts = 3;

/**
 * Records that aggregating this batch, alone, failed for a reason of its own (its rollups would overflow,
 * its body cannot be read): not an outage or a deadlock, which retrying cures. At `maxAttempts` the batch is
 * dead-lettered: never claimed again, out of the backlog (so it neither holds up ingest nor is swept again),
 * and listed with its reason for an operator. Returns whether it is now set aside.
 */
export async function recordAggregationFailure({
  db,
  batch,
  reason,
  maxAttempts = maxAggregationAttempts,
}: {
  db: Database;
  batch: BatchRef;
  reason: string;
  maxAttempts?: number;
}): Promise<boolean> {
  const { rows } = await db.pool.query<{ deadLetteredAt: Date | null }>(
    `UPDATE "SampleBatch" SET "failedAttempts" = "failedAttempts" + 1, "failureReason" = $3,
            "deadLetteredAt" = CASE WHEN "failedAttempts" + 1 >= $4 THEN now() END
      WHERE id = $1 AND "receivedAt" = $2 AND "aggregatedAt" IS NULL AND "deadLetteredAt" IS NULL
     RETURNING "deadLetteredAt"`,
    [batch.batchId, new Date(batch.receivedAt), reason.slice(0, 1000), maxAttempts],
  );
  return Boolean(rows[0]?.deadLetteredAt);
}

export interface DeadLetteredBatch {
  batchId: string;
  receivedAt: Date;
  hostId: string;
  hostName: string | null;
  sequence: string;
  sampleCount: number;
  failedAttempts: number;
  failureReason: string | null;
  deadLetteredAt: Date;
}

/** The batches set aside, latest first: what an operator must look into (their samples are not billed). */
export async function listDeadLetteredBatches({
  db,
  limit = 50,
}: {
  db: Database;
  limit?: number;
}): Promise<DeadLetteredBatch[]> {
  const { rows } = await db.pool.query<DeadLetteredBatch>(
    `SELECT b.id AS "batchId", b."receivedAt", b."hostId", h.name AS "hostName", b.sequence::text AS sequence,
            b."sampleCount", b."failedAttempts", b."failureReason", b."deadLetteredAt"
       FROM "SampleBatch" b LEFT JOIN "Host" h ON h.id = b."hostId"
      WHERE b."deadLetteredAt" IS NOT NULL
      ORDER BY b."deadLetteredAt" DESC LIMIT $1`,
    [limit],
  );
  return rows;
}
