import type { Database } from "@meterplane/db";

/** Invoices whose Stripe sync gave up, newest first, with why: the portal's failed-jobs list. */
export async function listFailedStripeSyncs({
  db,
  tenantId,
  limit = 100,
}: {
  db: Database;
  tenantId?: string;
  limit?: number;
}) {
  const rows = await db.prisma.stripeInvoice.findMany({
    where: { state: "failed", ...(tenantId ? { tenantId } : {}) },
    include: {
      invoice: { select: { number: true, currency: true, total: true, tenant: { select: { name: true } } } },
    },
    orderBy: { updatedAt: "desc" },
    take: limit,
  });
  return rows.map((row) => ({
    tenantId: row.tenantId,
    tenantName: row.invoice.tenant.name,
    invoiceId: row.invoiceId,
    invoiceNumber: row.invoice.number,
    currency: row.invoice.currency,
    total: row.invoice.total.toString(),
    stripeInvoiceId: row.stripeInvoiceId,
    attempts: row.attempts,
    lastError: row.lastError,
    failedAt: row.updatedAt,
    invoiceRunId: row.invoiceRunId,
  }));
}
