import { ensureSamplePartitions } from "@meterplane/db";
import { dropExpiredSamples } from "@meterplane/usage";
import { Counter } from "prom-client";
import { every, type WorkerJob } from "./job.ts";

/**
 * Keeps the raw sample table's daily partitions: creates the coming days' ahead of ingest and drops those
 * past the retention period, with their batches' idempotency keys. Every worker runs it; both halves are
 * idempotent.
 */
export const maintainPartitionsJob: WorkerJob = {
  name: "maintain-partitions",
  start(context) {
    const { env, db, log, metrics } = context;
    const dropped = new Counter({
      name: "mp_retention_dropped_partitions_total",
      help: "Raw sample partitions dropped by retention",
      registers: [metrics],
    });
    const prunedKeys = new Counter({
      name: "mp_retention_pruned_batch_keys_total",
      help: "Idempotency keys of batches dropped by retention, deleted with them",
      registers: [metrics],
    });
    return every("maintain-partitions", env.MAINTENANCE_EVERY_MS, context, async () => {
      await ensureSamplePartitions(db.pool);
      const result = await dropExpiredSamples({ db, retentionDays: env.RETENTION_DAYS });
      dropped.inc(result.dropped.length);
      prunedKeys.inc(result.prunedKeys);
      if (result.dropped.length || result.prunedKeys)
        log.info({ partitions: result.dropped, keys: result.prunedKeys }, "dropped expired raw samples");
      if (result.kept.length)
        log.warn({ partitions: result.kept }, "expired partitions kept: they hold unaggregated batches");
    });
  },
};
