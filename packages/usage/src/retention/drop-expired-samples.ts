import { type Database, dropSamplePartitionsBefore } from "@meterplane/db";
import { defaultLateWindowMs } from "../ingest/accept-batch.ts";

export const defaultRetentionDays = 35;
const dayMs = 86_400_000;

/**
 * Drops the raw sample partitions whose every day is older than the retention period; rollups stay. The
 * period must outlast the late-data window, or a late sample could land in a partition about to go.
 * Partitions still holding unaggregated batches are kept (and reported) rather than lose acknowledged usage.
 */
export async function dropExpiredSamples({
  db,
  retentionDays = defaultRetentionDays,
  now = new Date(),
}: {
  db: Database;
  retentionDays?: number;
  now?: Date;
}): Promise<{ dropped: string[]; kept: string[] }> {
  if (retentionDays * dayMs <= defaultLateWindowMs)
    throw new Error(`retention (${retentionDays} days) must be longer than the late-data window`);
  return dropSamplePartitionsBefore(db.pool, new Date(now.getTime() - retentionDays * dayMs));
}
