import { AppError } from "@meterplane/core";
import { recordAudit } from "@meterplane/db";
import {
  defaultIssuer,
  type InvoiceChange,
  lockInvoice,
  prismaSql,
  takeNumbers,
  transactionOptions,
} from "./lock-invoice.ts";

/**
 * Finalizes a draft whose period has ended: it takes the issuer's next number and is immutable from then
 * on. Finalizing an invoice that is already final returns it unchanged, so a repeated or concurrent run
 * yields one invoice with one number.
 */
export async function finalizeInvoice({
  db,
  tenantId,
  invoiceId,
  actor,
  at = new Date(),
  issuer = defaultIssuer,
}: InvoiceChange & { issuer?: string }) {
  return db.prisma.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, tenantId, invoiceId);
    if (invoice.status === "finalized" || invoice.status === "paid") return invoice;
    if (invoice.status !== "draft")
      throw new AppError("INVOICE_NOT_DRAFT", `invoice ${invoiceId} is ${invoice.status}, not a draft`);
    if (invoice.periodEnd > at)
      throw new AppError(
        "INVOICE_PERIOD_OPEN",
        `invoice ${invoiceId} covers a period that ends at ${invoice.periodEnd.toISOString()}`,
      );
    const number = (await takeNumbers(prismaSql(tx), issuer, "INV", 1))[0]!;
    const finalized = await tx.invoice.update({
      where: { tenantId_id: { tenantId, id: invoiceId } },
      data: { status: "finalized", number, finalizedAt: at },
      include: { creditNotes: true },
    });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "invoice.finalized",
      entity: "invoice",
      entityId: invoiceId,
      before: { status: invoice.status },
      after: { status: finalized.status, number, total: finalized.total },
    });
    return finalized;
  }, transactionOptions);
}
