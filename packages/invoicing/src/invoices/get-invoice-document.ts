import { AppError } from "@meterplane/core";
import type { Database } from "@meterplane/db";

/** An invoice with what its documents show: lines in order, the tenant, and credit notes. */
export async function getInvoiceDocument({
  db,
  tenantId,
  invoiceId,
}: {
  db: Database;
  tenantId: string;
  invoiceId: string;
}) {
  const invoice = await db.prisma.invoice.findUnique({
    where: { tenantId_id: { tenantId, id: invoiceId } },
    include: {
      lines: { orderBy: { position: "asc" } },
      tenant: true,
      creditNotes: { orderBy: { createdAt: "asc" } },
    },
  });
  if (!invoice) throw new AppError("NOT_FOUND", `invoice ${invoiceId} not found`);
  return invoice;
}

export type InvoiceDocument = Awaited<ReturnType<typeof getInvoiceDocument>>;

/** The invoice's title: its number once final, otherwise what it is. */
export function invoiceTitle(invoice: InvoiceDocument): string {
  return invoice.number ?? (invoice.status === "draft" ? "DRAFT" : invoice.status.toUpperCase());
}
