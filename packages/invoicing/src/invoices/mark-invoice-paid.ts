import { AppError } from "@meterplane/core";
import { recordAudit } from "@meterplane/db";
import { type InvoiceChange, lockInvoice, transactionOptions } from "./lock-invoice.ts";

/** Records payment of a finalized invoice; marking a paid invoice again changes nothing. */
export async function markInvoicePaid({ db, tenantId, invoiceId, actor, at = new Date() }: InvoiceChange) {
  return db.prisma.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, tenantId, invoiceId);
    if (invoice.status === "paid") return invoice;
    if (invoice.status !== "finalized")
      throw new AppError(
        "INVOICE_NOT_FINALIZED",
        `invoice ${invoiceId} is ${invoice.status}: only a finalized invoice can be paid`,
      );
    const paid = await tx.invoice.update({
      where: { tenantId_id: { tenantId, id: invoiceId } },
      data: { status: "paid", paidAt: at },
      include: { creditNotes: true },
    });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "invoice.paid",
      entity: "invoice",
      entityId: invoiceId,
      before: { status: invoice.status },
      after: { status: paid.status, paidAt: at },
    });
    return paid;
  }, transactionOptions);
}
