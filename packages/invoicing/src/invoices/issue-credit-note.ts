import { currencyExponent } from "@meterplane/billing";
import { AppError, Dec } from "@meterplane/core";
import { type Actor, type Database, recordAudit } from "@meterplane/db";
import { z } from "zod";
import { defaultIssuer, lockInvoice, prismaSql, takeNumbers, transactionOptions } from "./lock-invoice.ts";

const creditNoteInput = z.object({
  amount: z.string().regex(/^\d{1,18}(\.\d{1,6})?$/, "a positive decimal string"),
  reason: z.string().trim().min(1).max(500),
});

/**
 * Credits part or all of a finalized (or paid) invoice. Credit notes together never exceed the invoice's
 * total; the amount must be exact in the currency's minor unit, since a credit is money already rounded.
 * Credit notes are numbered gaplessly per issuer (`CN-000001`), in a sequence apart from invoices'.
 */
export async function issueCreditNote({
  db,
  tenantId,
  invoiceId,
  actor,
  issuer = defaultIssuer,
  ...input
}: {
  db: Database;
  tenantId: string;
  invoiceId: string;
  amount: string;
  reason: string;
  actor: Actor;
  issuer?: string;
}) {
  const parsed = creditNoteInput.safeParse(input);
  if (!parsed.success) throw new AppError("VALIDATION_FAILED", z.prettifyError(parsed.error));
  const amount = new Dec(parsed.data.amount);
  return db.prisma.$transaction(async (tx) => {
    const invoice = await lockInvoice(tx, tenantId, invoiceId);
    if (invoice.status !== "finalized" && invoice.status !== "paid")
      throw new AppError(
        "INVOICE_NOT_FINALIZED",
        `invoice ${invoiceId} is ${invoice.status}: credit only a finalized invoice`,
      );
    if (amount.lte(0) || amount.decimalPlaces() > currencyExponent(invoice.currency))
      throw new AppError(
        "VALIDATION_FAILED",
        `a credit of ${parsed.data.amount} is not a positive amount of ${invoice.currency}`,
      );
    const credited = invoice.creditNotes.reduce((acc, note) => acc.plus(note.amount.toFixed()), new Dec(0));
    const remaining = new Dec(invoice.total.toFixed()).minus(credited);
    if (amount.gt(remaining))
      throw new AppError(
        "CREDIT_EXCEEDS_INVOICE",
        `a credit of ${amount} exceeds the ${remaining.toFixed(currencyExponent(invoice.currency))} ${invoice.currency} left to credit on invoice ${invoice.number}`,
      );
    const number = (await takeNumbers(prismaSql(tx), issuer, "CN", 1))[0]!;
    const note = await tx.creditNote.create({
      data: { tenantId, invoiceId, number, amount: amount.toFixed(), reason: parsed.data.reason },
    });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "credit_note.issued",
      entity: "credit_note",
      entityId: note.id,
      after: { invoiceId, number, amount: note.amount, reason: note.reason },
    });
    return note;
  }, transactionOptions);
}
