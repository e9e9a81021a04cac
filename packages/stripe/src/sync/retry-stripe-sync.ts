import { AppError } from "@meterplane/core";
import { type AuditEntry, type Database, recordAudit } from "@meterplane/db";
import { refreshInvoiceRun } from "@meterplane/invoicing";
import type { Queue } from "bullmq";
import { type StripeSyncJob, stripeSyncJobId } from "../queue/stripe-queues.ts";
import { resumeState } from "./resume-state.ts";

/**
 * Sends a failed sync back to the queue. It resumes at the furthest step its stored Stripe ids prove,
 * under its idempotency keys (new ones after a 5xx, which Stripe replays) and after asking Stripe what it
 * already holds, so a retry never duplicates what the failed attempts created.
 */
export async function retryStripeSync({
  db,
  queue,
  tenantId,
  invoiceId,
  actor,
}: {
  db: Database;
  queue: Queue<StripeSyncJob>;
  tenantId: string;
  invoiceId: string;
  actor: AuditEntry["actor"];
}) {
  const sync = await db.prisma.$transaction(async (tx) => {
    const where = { tenantId_invoiceId: { tenantId, invoiceId } };
    const before = await tx.stripeInvoice.findUnique({ where });
    if (!before) throw new AppError("NOT_FOUND", `invoice ${invoiceId} has no Stripe sync`);
    if (before.state !== "failed")
      throw new AppError(
        "CONFLICT",
        `the Stripe sync of invoice ${invoiceId} is ${before.state}, not failed`,
      );
    const customer = await tx.stripeCustomer.findUnique({ where: { tenantId } });
    const state = resumeState(before.stripeInvoiceId, Boolean(customer), before.mirroredStatus);
    const after = await tx.stripeInvoice.update({ where, data: { state } });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "stripe_sync.retry",
      entity: "invoice",
      entityId: invoiceId,
      before: { state: before.state, lastError: before.lastError },
      after: { state },
    });
    return after;
  });
  const data = { tenantId, invoiceId };
  const job = await queue.getJob(stripeSyncJobId(data));
  if (job && (await job.isFailed())) await job.retry("failed", { resetAttemptsMade: true });
  else {
    // A kept completed job would swallow the add; a waiting or active one already does the work.
    if (job && (await job.isCompleted())) await job.remove();
    await queue.add("stripe-sync", data, { jobId: stripeSyncJobId(data) });
  }
  if (sync.invoiceRunId) await refreshInvoiceRun({ db, runId: sync.invoiceRunId });
  return sync;
}
