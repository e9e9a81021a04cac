import { type Database, oldestWaitingBatch } from "@meterplane/db";
import { getPipelineBacklog } from "./get-pipeline-backlog.ts";

/**
 * The waiting batches as ingest's back-pressure needs them: a bound read without walking them while it is
 * under `limit`, the exact count (up to `limit`) once it is not.
 *
 * The bound is the batches stored since the oldest waiting one: the id sequence's last value less that
 * batch's id. Ids are taken in the order batches are stored, so every waiting batch lies in that span,
 * but for the few that a concurrent insert numbered a moment out of order. Aggregation's lanes fold a
 * window of the fleet at a time, so in normal operation the span is about rate × (window + group), most of
 * it already aggregated: at 10,000 hosts about 45,000 batches. Counting them instead walked every waiting
 * batch, 130–220 ms of Postgres a read at 6,000 hosts (`npm run bench -- fleet`).
 */
export async function boundPipelineBacklog({ db, limit }: { db: Database; limit: number }): Promise<number> {
  const { rows } = await db.pool.query<{ bound: string | null }>(
    `SELECT (SELECT last_value FROM "SampleBatch_id_seq") - o.id + 1 AS bound FROM (${oldestWaitingBatch}) o`,
  );
  const bound = Number(rows[0]?.bound ?? 0);
  if (bound < limit) return bound;
  return (await getPipelineBacklog({ db, limit })).batches;
}
