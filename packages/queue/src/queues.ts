import { Queue, type QueueOptions } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";
import { queuePrefix } from "./env.ts";

/**
 * Queue names and their job payloads: the contract between producers and the worker. A `{…}` hash tag in
 * the prefix keeps every key of a queue in one Redis Cluster slot.
 */
export const queueNames = { aggregate: "aggregate", maintenance: "maintenance" } as const;

/** A list of stored batches to aggregate: Postgres holds them, so a job lost or run twice costs nothing. */
export const aggregateJobSchema = z.object({
  // hostId is optional: jobs queued before it was added (or by an older web process) still run.
  batches: z
    .array(z.object({ batchId: z.string(), receivedAt: z.string(), hostId: z.string().optional() }))
    .min(1),
});
export type AggregateJob = z.infer<typeof aggregateJobSchema>;

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
 * Job id for a list of batches: enqueuing the same list twice (say, sweeps that find the same stuck
 * batches) yields one job while it waits. Receive times are part of it because batch ids restart with a
 * new database while Redis may keep old jobs.
 */
export function aggregateJobId(batches: AggregateJob["batches"]): string {
  const first = batches[0];
  const last = batches.at(-1);
  return `batches-${batches.length}-${first?.batchId}-${first && Date.parse(first.receivedAt)}-${last?.batchId}-${last && Date.parse(last.receivedAt)}`;
}
