import { createLogger, createOutageLog } from "@meterplane/core";
import { connectDatabase } from "@meterplane/db";
import { createRedis, isRedisUnreachable } from "@meterplane/queue";
import { aggregationSessionOptions } from "@meterplane/usage";
import { Registry } from "prom-client";
import { createAggregationLag } from "./aggregation-lag.ts";
import { env } from "./env.ts";
import { aggregateJob } from "./jobs/aggregate.ts";
import { anomalyScanJob, webhookDeliveryJob } from "./jobs/anomaly-scan.ts";
import { invoiceRunJob } from "./jobs/invoice-run.ts";
import type { WorkerContext, WorkerJob } from "./jobs/job.ts";
import { maintainPartitionsJob } from "./jobs/maintain-partitions.ts";
import { sealHoursJob } from "./jobs/seal-hours.ts";
import { stripeSyncJob } from "./jobs/stripe-sync.ts";
import { sweepJob } from "./jobs/sweep.ts";
import { serveMetrics } from "./metrics.ts";

/** Every job this worker runs: queue consumers and periodic tasks. Add a job by adding it here. */
const jobs: WorkerJob[] = [
  aggregateJob,
  sweepJob,
  maintainPartitionsJob,
  sealHoursJob,
  invoiceRunJob,
  stripeSyncJob,
  anomalyScanJob,
  webhookDeliveryJob,
];

const log = createLogger("worker");
const db = connectDatabase(env.DATABASE_URL, {
  max: env.AGGREGATE_STATEMENTS + 2 * jobs.length,
  log,
  sessionOptions: aggregationSessionOptions,
});
const redisOutage = createOutageLog(log, "redis");
const context: WorkerContext = {
  env,
  log,
  db,
  connection: createRedis(env.REDIS_URL, { blocking: true, outage: redisOutage }),
  producer: createRedis(env.REDIS_URL, { blocking: true, outage: redisOutage }),
  redisOutage,
  isOutage(error) {
    if (db.unreachable(error)) return true;
    if (!isRedisUnreachable(error)) return false;
    redisOutage.down(error);
    return true;
  },
  metrics: new Registry(),
  aggregationLag: createAggregationLag({ behindMs: env.AGGREGATE_BEHIND_MS }),
};
const running = [...jobs.map((job) => job.start(context)), serveMetrics(context)];
log.info({ jobs: jobs.map((job) => job.name) }, "worker started");

let stopping = false;
/**
 * Stops taking jobs and lets those in hand finish for at most `SHUTDOWN_GRACE_MS`; then exits anyway. What
 * was not aggregated by then is safe: its transaction rolled back with the connection, the batches are
 * still unaggregated in Postgres, and their jobs stall back into the queue or are found by the sweeper.
 */
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal, graceMs: env.SHUTDOWN_GRACE_MS }, "worker stopping: finishing active jobs");
  const drained = await Promise.race([
    Promise.all(running.map((job) => job.close())).then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), env.SHUTDOWN_GRACE_MS).unref()),
  ]);
  context.connection.disconnect();
  context.producer.disconnect();
  await Promise.race([context.db.close(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  log.info(
    { drained },
    drained ? "worker stopped" : "worker stopped before its jobs finished; the sweeper has the rest",
  );
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
