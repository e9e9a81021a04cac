import { createLogger } from "@meterplane/core";
import { connectDatabase, type Database } from "@meterplane/db";
import {
  type AggregateJob,
  createAggregateQueue,
  createBatchedEnqueue,
  createRedis,
} from "@meterplane/queue";
// The queue alone: the package's index loads the Stripe SDK, which every route importing this would carry.
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
}

// One set per process; kept on globalThis so dev-mode reloads do not open new pools each time.
const globalServices = globalThis as unknown as { meterplane?: Services };

export function services(): Services {
  if (!globalServices.meterplane) {
    const redis = createRedis(env().REDIS_URL);
    redis.on("error", () => {
      // Reported by /api/health; ingest keeps acknowledging (Postgres is the record) while Redis is away.
    });
    const aggregateQueue = createAggregateQueue(redis);
    globalServices.meterplane = {
      db: connectDatabase(env().DATABASE_URL),
      redis,
      aggregateQueue,
      enqueueAggregation: createBatchedEnqueue(aggregateQueue, {
        onError: (error, batches) =>
          log.warn(
            { batches: batches.length, err: error },
            "enqueue failed; the sweeper will pick the batches up",
          ),
      }),
      stripeSyncQueue: createStripeSyncQueue(redis),
    };
  }
  return globalServices.meterplane;
}

export const log = createLogger("web");
