import { tierBreakdownRowSchema } from "@meterplane/billing";
import { AppError, Dec } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { z } from "zod";
import type { Seller } from "./seller.ts";

const tierRows = z.array(tierBreakdownRowSchema);

/**
 * An invoice with everything its documents show (the portal page, the tenant page, the PDF): the seller
 * and buyer, lines in order with their unit and tier slices, the minimums apart from the charges, credit
 * notes, and what is left to pay.
 */
export async function getInvoiceDocument({
  db,
  tenantId,
  invoiceId,
  seller,
}: {
  db: Database;
  tenantId: string;
  invoiceId: string;
  seller: Seller;
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
  const chargeIds = [...new Set(invoice.lines.flatMap((l) => (l.chargeId ? [l.chargeId] : [])))];
  const charges = await db.prisma.charge.findMany({
    where: { id: { in: chargeIds } },
    select: { id: true, billableMetric: { select: { unit: true } } },
  });
  const unitOf = new Map(charges.map((c) => [c.id, c.billableMetric?.unit ?? null]));
  const lines = invoice.lines.map((line) => ({
    ...line,
    // A usage line's quantity is in its metric's unit; a fee or a top-up is a count of one.
    unit: line.kind === "charge" && line.chargeId ? (unitOf.get(line.chargeId) ?? null) : null,
    tiers: tierRows.parse(line.tiers),
  }));
  const credited = invoice.creditNotes.reduce((sum, note) => sum.plus(note.amount), new Dec(0));
  const settled = invoice.status === "paid" || invoice.status === "void";
  const issuedAt = invoice.finalizedAt;
  return {
    ...invoice,
    lines,
    seller,
    charges: lines.filter((l) => l.kind === "charge"),
    minimums: lines.filter((l) => l.kind !== "charge"),
    /** Sum of the charge lines, before minimums top them up. */
    chargesSubtotal: lines
      .filter((l) => l.kind === "charge")
      .reduce((sum, l) => sum.plus(l.amount), new Dec(0)),
    credited,
    amountDue: settled ? new Dec(0) : Dec.max(new Dec(invoice.total).minus(credited), 0),
    issuedAt,
    dueAt: issuedAt ? new Date(issuedAt.getTime() + seller.paymentTermsDays * 86_400_000) : null,
  };
}

export type InvoiceDocument = Awaited<ReturnType<typeof getInvoiceDocument>>;

/** The invoice's title: its number once final, otherwise what it is. */
export function invoiceTitle(invoice: { number: string | null; status: string }): string {
  return invoice.number ?? (invoice.status === "draft" ? "DRAFT" : invoice.status.toUpperCase());
}
