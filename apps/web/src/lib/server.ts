import { createLogger, createOutageLog } from "@meterplane/core";
import { connectDatabase, type Database } from "@meterplane/db";
// The queues alone: the packages' indexes load the Stripe SDK and the PDF renderer.
import { createInvoiceRunQueue, type InvoiceRunJob } from "@meterplane/invoicing/queues";
import {
  type AggregateJob,
  createAggregateQueue,
  createBatchedEnqueue,
  createRedis,
  isRedisUnreachable,
  logQueueErrors,
} from "@meterplane/queue";
import { createStripeSyncQueue, type StripeSyncJob } from "@meterplane/stripe/queues";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { env } from "./env";

interface Services {
  db: Database;
  redis: Redis;
  aggregateQueue: Queue<AggregateJob>;
  /** Stored batches to the aggregate queue, a few per job. */
  enqueueAggregation: ReturnType<typeof createBatchedEnqueue>;
  stripeSyncQueue: Queue<StripeSyncJob>;
  /** "Run invoicing now" puts a run with its cut-off here; the worker's invoice run job takes it. */
  invoiceRunQueue: Queue<InvoiceRunJob>;
}

// One set per process; kept on globalThis so dev-mode reloads do not open new pools each time.
const globalServices = globalThis as unknown as { meterplane?: Services };

export function services(): Services {
  if (!globalServices.meterplane) {
    // Its outage is logged once (and reported by /api/health); ingest keeps acknowledging while Redis is
    // away, since Postgres is the record and the sweeper enqueues what missed the queue.
    const redisOutage = createOutageLog(log, "redis");
    const redis = createRedis(env().REDIS_URL, { outage: redisOutage });
    const aggregateQueue = createAggregateQueue(redis);
    const stripeSyncQueue = createStripeSyncQueue(redis);
    const invoiceRunQueue = createInvoiceRunQueue(redis);
    for (const queue of [aggregateQueue, stripeSyncQueue, invoiceRunQueue])
      logQueueErrors(queue, { log, outage: redisOutage, what: "queue" });
    globalServices.meterplane = {
      db: connectDatabase(env().DATABASE_URL, { log }),
      redis,
      aggregateQueue,
      enqueueAggregation: createBatchedEnqueue(aggregateQueue, {
        // The batches are stored; the sweeper enqueues them again. Redis away is one outage, not a line each.
        onError: (error, batches) => {
          if (isRedisUnreachable(error)) return redisOutage.down(error);
          log.warn(
            { batches: batches.length, err: error },
            "enqueue failed; the sweeper will pick the batches up",
          );
        },
      }),
      stripeSyncQueue,
      invoiceRunQueue,
    };
  }
  return globalServices.meterplane;
}

export const log = createLogger("web");
