import { queueOptions } from "@meterplane/queue";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";

/** The Stripe sync queue: the contract between the worker, the invoice run and the portal. */
export const stripeQueueNames = { stripeSync: "stripe-sync" } as const;

export const stripeSyncJobSchema = z.object({ tenantId: z.uuid(), invoiceId: z.uuid() });
export type StripeSyncJob = z.infer<typeof stripeSyncJobSchema>;

export function createStripeSyncQueue(connection: Redis): Queue<StripeSyncJob> {
  return new Queue<StripeSyncJob>(stripeQueueNames.stripeSync, {
    ...queueOptions(connection),
    defaultJobOptions: {
      attempts: 8,
      // "stripe": exponential from 1 s, but never sooner than Stripe's Retry-After (see the worker).
      backoff: { type: "stripe", delay: 1000 },
      // Not kept: a later change of the invoice enqueues a job under the same id, which a kept one would swallow.
      removeOnComplete: true,
      removeOnFail: { count: 5000 },
    },
  });
}

/** One job per invoice while it waits or runs, however many runs enqueue it. */
export function stripeSyncJobId({ tenantId, invoiceId }: StripeSyncJob): string {
  return `stripe-sync:${tenantId}:${invoiceId}`;
}
