import { createLogger } from "@meterplane/core";
import { connectDatabase, ensureSamplePartitions } from "@meterplane/db";
import { createAggregateQueue, createRedis } from "@meterplane/queue";
import { env } from "./env.ts";
import { startAggregateWorker } from "./jobs/aggregate.ts";
import { sweepUnaggregated } from "./jobs/sweep.ts";

const log = createLogger("worker");
const db = connectDatabase(env.DATABASE_URL, { max: env.AGGREGATE_CONCURRENCY + 2 });
const connection = createRedis(env.REDIS_URL, { blocking: true });
const producer = createRedis(env.REDIS_URL, { blocking: true });
const queue = createAggregateQueue(producer);

await ensureSamplePartitions(db.pool);
const aggregator = startAggregateWorker({ db, connection, concurrency: env.AGGREGATE_CONCURRENCY, log });

let sweeping = false;
const sweeper = setInterval(async () => {
  if (sweeping) return;
  sweeping = true;
  try {
    await sweepUnaggregated({ db, queue, olderThanMs: env.SWEEP_AFTER_MS, log });
  } catch (error) {
    log.error({ err: (error as Error).message }, "sweep failed");
  } finally {
    sweeping = false;
  }
}, env.SWEEP_EVERY_MS);
const maintenance = setInterval(() => {
  ensureSamplePartitions(db.pool).catch((error: Error) =>
    log.error({ err: error.message }, "partition maintenance failed"),
  );
}, 3600_000);

log.info({ concurrency: env.AGGREGATE_CONCURRENCY }, "worker started");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "worker stopping: finishing active jobs");
  clearInterval(sweeper);
  clearInterval(maintenance);
  await aggregator.close();
  await queue.close();
  connection.disconnect();
  producer.disconnect();
  await db.close();
  log.info("worker stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
