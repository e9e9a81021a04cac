import { aggregateJobSchema, queueNames, queueOptions } from "@meterplane/queue";
import { createAggregationGroups } from "@meterplane/usage";
import { Worker } from "bullmq";
import { Counter, Histogram } from "prom-client";
import type { WorkerJob } from "./job.ts";

/**
 * Folds stored batches into the rollups. A job lists the batches a web process stored within a few
 * milliseconds; this worker takes many jobs at once and hands their refs to aggregation groups, so one
 * transaction folds hundreds of batches. A job may run more than once (a killed worker, a sweep):
 * aggregation skips what is already aggregated.
 */
export const aggregateJob: WorkerJob = {
  name: "aggregate",
  start({ env, db, connection, log, metrics }) {
    const batches = new Counter({
      name: "mp_aggregated_batches_total",
      help: "Batches folded into rollups",
      registers: [metrics],
    });
    const samples = new Counter({
      name: "mp_aggregated_samples_total",
      help: "Samples folded into rollups",
      registers: [metrics],
    });
    const groupSize = new Histogram({
      name: "mp_aggregation_group_batches",
      help: "Batch refs per aggregation transaction",
      buckets: [1, 5, 25, 100, 250, 500, 1000],
      registers: [metrics],
    });
    const statement = new Histogram({
      name: "mp_aggregation_statement_seconds",
      help: "Duration of one aggregation transaction",
      registers: [metrics],
    });
    const groups = createAggregationGroups({
      db,
      maxBatches: env.AGGREGATE_GROUP_MAX,
      parallel: env.AGGREGATE_STATEMENTS,
      onGroup(result) {
        batches.inc(result.batches);
        samples.inc(result.samples);
        groupSize.observe(result.groupSize);
        statement.observe(result.seconds);
      },
    });
    const worker = new Worker(
      queueNames.aggregate,
      async (job) => {
        await Promise.all(aggregateJobSchema.parse(job.data).batches.map((batch) => groups.add(batch)));
      },
      { ...queueOptions(connection), concurrency: env.AGGREGATE_CONCURRENCY },
    );
    worker.on("failed", (job, error) =>
      log.warn({ jobId: job?.id, err: error }, "aggregate job failed"),
    );
    worker.on("error", (error) => log.error({ err: error }, "aggregate worker error"));
    return { close: () => worker.close() };
  },
};
