"use server";

import { retryStripeSync } from "@meterplane/stripe";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { services } from "@/lib/server";

/** Sends a failed Stripe sync back to the worker; it resumes where the stored Stripe ids say it got to. */
export const retryStripeSyncAction = operatorAction(
  "billing",
  z.object({ tenantId: z.uuid(), invoiceId: z.uuid() }),
  async ({ tenantId, invoiceId }, { db, actor }) => {
    await retryStripeSync({ db, queue: services().stripeSyncQueue, tenantId, invoiceId, actor });
    return { message: "Queued again: the worker retries it now." };
  },
);

/**
 * Starts an invoice run now, as the scheduled one would: current periods re-rated into their drafts, ended
 * ones finalized. The cut-off is this minute, so a second click within it is the same run, not another.
 */
export const runInvoicingNowAction = operatorAction("billing", z.object({}), async () => {
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  const at = new Date(minute).toISOString();
  // BullMQ refuses a custom job id with a colon in it (other than its own repeat-job form), as an ISO time has.
  await services().invoiceRunQueue.add("invoice-run", { at }, { jobId: `invoice-run-now-${minute}` });
  return {
    message: `Invoice run started with cut-off ${at.slice(0, 16).replace("T", " ")} UTC: progress below`,
  };
});
