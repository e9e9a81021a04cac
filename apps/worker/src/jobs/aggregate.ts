import { aggregateJobSchema, logQueueErrors, queueNames, queueOptions } from "@meterplane/queue";
import { createHostLanes } from "@meterplane/usage";
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
  start({ env, db, connection, log, metrics, redisOutage, isOutage, aggregationLag }) {
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
    const rollups = new Counter({
      name: "mp_aggregated_rollups_total",
      help: "Hourly and daily rollup rows upserted",
      registers: [metrics],
    });
    const freshness = new Histogram({
      name: "mp_rollup_freshness_seconds",
      help: "Time from a batch's acknowledgement (its storing) to its rollups being readable (committed)",
      // Every 5 s around the one-minute bound: its p99 is read within its bucket, and 45 to 60 s was too coarse
      // to tell a fold window's cost in freshness.
      buckets: [0.25, 0.5, 1, 2, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 75, 90, 120, 300, 600],
      registers: [metrics],
    });
    // Freshness is this wait plus the lanes' (a fold window and a group): it tells which one to look at.
    const pickedUp = new Histogram({
      name: "mp_aggregation_pickup_seconds",
      help: "Time from a batch's storing to its ref reaching the worker's aggregation lanes (the queue's part of freshness)",
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60, 120],
      registers: [metrics],
    });
    const deadLettered = new Counter({
      name: "mp_dead_lettered_batches_total",
      help: "Batches set aside after failing aggregation on their own too often (listed on the Hosts page)",
      registers: [metrics],
    });
    const groups = createHostLanes({
      db,
      maxBatches: env.AGGREGATE_GROUP_MAX,
      foldWindowMs: env.AGGREGATE_FOLD_WINDOW_MS,
      lanes: env.AGGREGATE_STATEMENTS,
      onGroupFailed({ groupSize, error }) {
        if (!isOutage(error))
          log.warn({ groupSize, err: error }, "aggregation group failed: retrying its batches one by one");
      },
      onDeadLetter({ batch, reason }) {
        deadLettered.inc();
        log.error({ batchId: batch.batchId, reason }, "batch set aside: it cannot be aggregated");
      },
      onGroup(result) {
        const committedAt = Date.now();
        for (const receivedAt of result.receivedAt) freshness.observe((committedAt - receivedAt) / 1000);
        rollups.inc(result.rollups);
        batches.inc(result.batches);
        samples.inc(result.samples);
        groupSize.observe(result.groupSize);
        statement.observe(result.seconds);
      },
    });
    aggregationLag.track(() => groups.oldestWaiting());
    const worker = new Worker(
      queueNames.aggregate,
      async (job) => {
        const { batches: refs } = aggregateJobSchema.parse(job.data);
        const now = Date.now();
        for (const ref of refs) pickedUp.observe((now - new Date(ref.receivedAt).getTime()) / 1000);
        await Promise.all(refs.map((batch) => groups.add(batch)));
      },
      {
        ...queueOptions(connection),
        concurrency: env.AGGREGATE_CONCURRENCY,
        // The jobs of a killed worker stay "active", and so out of the sweeper's reach, until their lock
        // lapses: 10 s rather than BullMQ's 30 bounds that wait. Running a stalled job again is harmless.
        lockDuration: 10_000,
        stalledInterval: 5_000,
        maxStalledCount: 10,
      },
    );
    // A job failing because Postgres or Redis is away is retried (BullMQ's backoff, then the sweeper)
    // without a line each: the outage logs say it once.
    worker.on("failed", (job, error) => {
      if (!isOutage(error)) log.warn({ jobId: job?.id, err: error }, "aggregate job failed");
    });
    logQueueErrors(worker, { log, outage: redisOutage, what: "aggregate worker" });
    return { close: () => worker.close() };
  },
};
