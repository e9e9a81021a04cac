import { createLogger } from "@meterplane/core";
import { connectDatabase } from "@meterplane/db";
import { createRedis } from "@meterplane/queue";
import { Registry } from "prom-client";
import { env } from "./env.ts";
import { aggregateJob } from "./jobs/aggregate.ts";
import { anomalyScanJob, webhookDeliveryJob } from "./jobs/anomaly-scan.ts";
import { invoiceRunJob } from "./jobs/invoice-run.ts";
import type { WorkerContext, WorkerJob } from "./jobs/job.ts";
import { maintainPartitionsJob } from "./jobs/maintain-partitions.ts";
import { stripeSyncJob } from "./jobs/stripe-sync.ts";
import { sweepJob } from "./jobs/sweep.ts";
import { serveMetrics } from "./metrics.ts";

/** Every job this worker runs: queue consumers and periodic tasks. Add a job by adding it here. */
const jobs: WorkerJob[] = [
  aggregateJob,
  sweepJob,
  maintainPartitionsJob,
  invoiceRunJob,
  stripeSyncJob,
  anomalyScanJob,
  webhookDeliveryJob,
];

const log = createLogger("worker");
const context: WorkerContext = {
  env,
  log,
  db: connectDatabase(env.DATABASE_URL, { max: env.AGGREGATE_STATEMENTS + 2 * jobs.length }),
  connection: createRedis(env.REDIS_URL, { blocking: true }),
  producer: createRedis(env.REDIS_URL, { blocking: true }),
  metrics: new Registry(),
};
const running = [...jobs.map((job) => job.start(context)), serveMetrics(context)];
log.info({ jobs: jobs.map((job) => job.name) }, "worker started");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "worker stopping: finishing active jobs");
  await Promise.all(running.map((job) => job.close()));
  context.connection.disconnect();
  context.producer.disconnect();
  await context.db.close();
  log.info("worker stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
