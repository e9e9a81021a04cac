import { queueOptions } from "@meterplane/queue";
import {
  createStripeClient,
  recordStripeSyncError,
  refreshInvoiceRun,
  stripeBackoffMs,
  stripeConfig,
  stripeQueueNames,
  stripeRetryAdvice,
  stripeSyncJobSchema,
  syncInvoiceToStripe,
} from "@meterplane/stripe";
import { UnrecoverableError, Worker } from "bullmq";
import { invoiceRunEnv } from "./invoice-run-env.ts";
import type { WorkerJob } from "./job.ts";

/** Carries Stripe's `Retry-After` to the backoff strategy, which only sees the thrown error. */
class RetryLater extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
  }
}

/**
 * One job per invoice. A step Stripe should see again is retried with exponential backoff that waits at
 * least Stripe's `Retry-After`; one it refused for good fails at once. The lock is short enough that a
 * killed worker's job is picked up again soon (stalled), and the sync resumes where it stopped.
 * Without STRIPE_SECRET_KEY there is nothing to do: invoices stay local.
 */
export const stripeSyncJob: WorkerJob = {
  name: "stripe-sync",
  start({ db, connection, log }) {
    const stripe = createStripeClient(stripeConfig());
    if (!stripe) {
      log.info("stripe is off (no STRIPE_SECRET_KEY): invoices stay local");
      return { close: async () => undefined };
    }
    const worker = new Worker(
      stripeQueueNames.stripeSync,
      async (job) => {
        const { tenantId, invoiceId } = stripeSyncJobSchema.parse(job.data);
        try {
          const sync = await syncInvoiceToStripe({ db, stripe, tenantId, invoiceId });
          if (sync.invoiceRunId) await refreshInvoiceRun({ db, runId: sync.invoiceRunId });
          return { stripeInvoiceId: sync.stripeInvoiceId };
        } catch (error) {
          const advice = stripeRetryAdvice(error);
          const message = (error as Error).message;
          const final = !advice.retry || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          await recordStripeSyncError({ db, tenantId, invoiceId, message, final });
          log.warn(
            { tenantId, invoiceId, attempt: job.attemptsMade + 1, final, err: message },
            "stripe sync attempt failed",
          );
          if (!advice.retry) throw new UnrecoverableError(message);
          throw new RetryLater(message, advice.delayMs);
        }
      },
      {
        ...queueOptions(connection),
        concurrency: invoiceRunEnv.STRIPE_SYNC_CONCURRENCY,
        lockDuration: invoiceRunEnv.STRIPE_SYNC_LOCK_MS,
        stalledInterval: invoiceRunEnv.STRIPE_SYNC_LOCK_MS,
        settings: {
          backoffStrategy: (attemptsMade, _type, error) =>
            stripeBackoffMs(attemptsMade, 1000, error instanceof RetryLater ? error.retryAfterMs : null),
        },
      },
    );
    worker.on("error", (error) => log.error({ err: error }, "stripe sync worker error"));
    return { close: () => worker.close() };
  },
};
