import type { Logger } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { aggregateJobSchema, queueNames, queueOptions } from "@meterplane/queue";
import { aggregateBatches } from "@meterplane/usage";
import { Worker } from "bullmq";
import type { Redis } from "ioredis";

/** Folds each stored batch into the rollups; a job may run more than once, aggregation is idempotent. */
export function startAggregateWorker({
  db,
  connection,
  concurrency,
  log,
}: {
  db: Database;
  connection: Redis;
  concurrency: number;
  log: Logger;
}) {
  const worker = new Worker(
    queueNames.aggregate,
    async (job) => {
      const ref = aggregateJobSchema.parse(job.data);
      return aggregateBatches({ db, batches: [ref] });
    },
    { ...queueOptions(connection), concurrency },
  );
  worker.on("failed", (job, error) =>
    log.warn({ jobId: job?.id, err: error.message }, "aggregate job failed"),
  );
  worker.on("error", (error) => log.error({ err: error.message }, "aggregate worker error"));
  return worker;
}
