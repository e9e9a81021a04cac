import { AppError } from "@meterplane/core";
import { recordAudit } from "@meterplane/db";
import { type InvoiceChange, lockInvoice, transactionOptions } from "./lock-invoice.ts";

/** Voids a finalized, unpaid invoice; it keeps its number, so the sequence stays without gaps. */
export async function voidInvoice({ db, tenantId, invoiceId, actor, at = new Date() }: InvoiceChange) {
  return db.prisma.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, tenantId, invoiceId);
    if (invoice.status !== "finalized")
      throw new AppError(
        "INVOICE_NOT_FINALIZED",
        `invoice ${invoiceId} is ${invoice.status}: only a finalized, unpaid invoice can be voided`,
      );
    const voided = await tx.invoice.update({
      where: { tenantId_id: { tenantId, id: invoiceId } },
      data: { status: "void", voidedAt: at },
    });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "invoice.voided",
      entity: "invoice",
      entityId: invoiceId,
      before: { status: invoice.status },
      after: { status: voided.status },
    });
    return voided;
  }, transactionOptions);
}
