import type { Database } from "@meterplane/db";
import { refreshInvoiceRun } from "@meterplane/invoicing";

/**
 * Notes why an attempt failed; `final` (no attempt will follow) marks the sync failed, which lists it among
 * the failed syncs the portal can retry. The step progress stays in the stored Stripe ids.
 */
export async function recordStripeSyncError({
  db,
  tenantId,
  invoiceId,
  message,
  final,
}: {
  db: Database;
  tenantId: string;
  invoiceId: string;
  message: string;
  final: boolean;
}) {
  const sync = await db.prisma.stripeInvoice.update({
    where: { tenantId_invoiceId: { tenantId, invoiceId } },
    data: { lastError: message.slice(0, 2000), ...(final ? { state: "failed" as const } : {}) },
  });
  if (sync.invoiceRunId) await refreshInvoiceRun({ db, runId: sync.invoiceRunId });
  return sync;
}
