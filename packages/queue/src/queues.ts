import { Queue, type QueueOptions } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";

/**
 * Queue names and their job payloads: the contract between producers and the worker. A `{…}` hash tag in
 * the prefix keeps every key of a queue in one Redis Cluster slot.
 */
export const queueNames = { aggregate: "aggregate", maintenance: "maintenance" } as const;

export const aggregateJobSchema = z.object({ batchId: z.string(), receivedAt: z.string() });
export type AggregateJob = z.infer<typeof aggregateJobSchema>;

export function queuePrefix(): string {
  return process.env.MP_QUEUE_PREFIX ?? "{meterplane}";
}

export function queueOptions(connection: Redis): QueueOptions {
  return {
    connection,
    prefix: queuePrefix(),
    defaultJobOptions: {
      attempts: 10,
      backoff: { type: "exponential", delay: 500 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    },
  };
}

export function createAggregateQueue(connection: Redis): Queue<AggregateJob> {
  return new Queue<AggregateJob>(queueNames.aggregate, queueOptions(connection));
}

/**
 * Job id per batch: enqueuing the same batch twice (ingest and sweeper) yields one job while it waits. The
 * receive time is part of it because batch ids restart with a new database while Redis may keep old jobs.
 */
export function aggregateJobId(batchId: string, receivedAt: Date): string {
  return `batch-${batchId}-${receivedAt.getTime()}`;
}
