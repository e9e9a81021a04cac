import { queueOptions } from "@meterplane/queue";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { z } from "zod";

/** The invoice run queue: the contract between the worker, its scheduler and the tests that trigger runs. */
export const invoiceRunQueueName = "invoice-run";

/** `at` is the run's cut-off; scheduled runs leave it out and take their scheduled instant. */
export const invoiceRunJobSchema = z.object({ at: z.iso.datetime().optional() });
export type InvoiceRunJob = z.infer<typeof invoiceRunJobSchema>;

export function createInvoiceRunQueue(connection: Redis): Queue<InvoiceRunJob> {
  return new Queue<InvoiceRunJob>(invoiceRunQueueName, queueOptions(connection));
}
