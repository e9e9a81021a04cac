import { runInvoicing } from "@meterplane/invoicing";
import { queueOptions } from "@meterplane/queue";
import {
  claimUnsyncedInvoices,
  createInvoiceRunQueue,
  createStripeSyncQueue,
  type InvoiceRunJob,
  invoiceRunJobSchema,
  openInvoiceRun,
  refreshInvoiceRun,
  stripeEnabled,
  stripeQueueNames,
  stripeSyncJobId,
} from "@meterplane/stripe";
import { type Job, Worker } from "bullmq";
import { invoiceRunEnv } from "./invoice-run-env.ts";
import type { WorkerJob } from "./job.ts";

/**
 * The cut-off of a run: given explicitly, or the instant its scheduler fired (BullMQ keeps it as
 * `prevMillis`), to the minute, so the same cycle always maps to the same run record.
 */
function cutOff(job: Job<InvoiceRunJob>): Date {
  const { at } = invoiceRunJobSchema.parse(job.data);
  if (at) return new Date(at);
  const fired = job.opts.prevMillis ?? job.timestamp;
  return new Date(Math.floor(fired / 60_000) * 60_000);
}

/**
 * An invoice run per billing cycle (a BullMQ job scheduler, INVOICE_RUN_CRON): rate and finalize ended
 * periods, then hand every finalized invoice not yet in Stripe to the sync queue (one job per invoice,
 * deduplicated by id). The run record counts what the syncs do. Repeating a run is safe: invoicing
 * yields the same invoices, and synced ones are not enqueued again.
 */
export const invoiceRunJob: WorkerJob = {
  name: "invoice-run",
  start({ db, connection, producer, log }) {
    const runQueue = createInvoiceRunQueue(producer);
    const syncQueue = stripeEnabled() ? createStripeSyncQueue(producer) : null;
    runQueue
      .upsertJobScheduler(
        "invoice-run",
        { pattern: invoiceRunEnv.INVOICE_RUN_CRON, tz: "UTC" },
        { name: "invoice-run", data: {} },
      )
      .catch((error: Error) => log.error({ err: error }, "invoice run schedule failed"));
    const worker = new Worker<InvoiceRunJob>(
      stripeQueueNames.invoiceRun,
      async (job) => {
        const at = cutOff(job);
        const run = await openInvoiceRun({ db, at });
        await runInvoicing({ db, at });
        const pending = syncQueue ? await claimUnsyncedInvoices({ db, runId: run.id, at }) : [];
        if (syncQueue && pending.length)
          await syncQueue.addBulk(
            pending.map((data) => ({ name: "stripe-sync", data, opts: { jobId: stripeSyncJobId(data) } })),
          );
        const record = await refreshInvoiceRun({ db, runId: run.id });
        log.info({ runId: run.id, at, enqueued: pending.length, stripe: Boolean(syncQueue) }, "invoice run");
        return record;
      },
      { ...queueOptions(connection), concurrency: 1 },
    );
    worker.on("failed", (job, error) =>
      log.warn({ jobId: job?.id, err: error }, "invoice run failed"),
    );
    worker.on("error", (error) => log.error({ err: error }, "invoice run worker error"));
    return {
      async close() {
        await worker.close();
        await runQueue.close();
        await syncQueue?.close();
      },
    };
  },
};
