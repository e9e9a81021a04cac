import type { Logger } from "@meterplane/core";
import { type Database, type InvoiceStatus, recordAudit } from "@meterplane/db";
import type Stripe from "stripe";
import { metadataKeys } from "../sync/idempotency-keys.ts";

/** What each invoice event does to our invoice, and from which statuses it may (Stripe can deliver late or out of order). */
const transitions: Record<
  string,
  { to?: InvoiceStatus; from: InvoiceStatus[]; stamp?: "paidAt" | "voidedAt" }
> = {
  "invoice.paid": { to: "paid", from: ["finalized", "uncollectible"], stamp: "paidAt" },
  "invoice.voided": { to: "void", from: ["finalized", "uncollectible"], stamp: "voidedAt" },
  "invoice.marked_uncollectible": { to: "uncollectible", from: ["finalized"] },
  // Still owed: the status stays; the failure is recorded for the portal.
  "invoice.payment_failed": { from: ["finalized", "uncollectible"] },
};

export type StripeEventOutcome = "applied" | "duplicate" | "ignored";

/**
 * Applies one verified event. The event id is stored in the same transaction as its effect and its audit
 * row, so a replayed event (Stripe delivers at least once) finds its id and changes nothing.
 */
export async function applyStripeEvent({
  db,
  event,
  log,
}: {
  db: Database;
  event: Stripe.Event;
  log: Logger;
}): Promise<StripeEventOutcome> {
  return db.prisma.$transaction(async (tx) => {
    const inserted = await tx.stripeEvent.createMany({
      data: [{ id: event.id, type: event.type }],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return "duplicate";
    const rule = transitions[event.type];
    if (!rule) {
      log.info({ eventId: event.id, type: event.type }, "stripe event acknowledged, not handled");
      return "ignored";
    }
    const object = event.data.object as Stripe.Invoice;
    const sync = object.id
      ? await tx.stripeInvoice.findUnique({ where: { stripeInvoiceId: object.id } })
      : null;
    const tenantId = sync?.tenantId ?? object.metadata?.[metadataKeys.tenantId];
    const invoiceId = sync?.invoiceId ?? object.metadata?.[metadataKeys.invoiceId];
    const invoice =
      tenantId && invoiceId
        ? await tx.invoice.findUnique({ where: { tenantId_id: { tenantId, id: invoiceId } } })
        : null;
    if (!invoice) {
      log.warn(
        { eventId: event.id, type: event.type, stripeInvoiceId: object.id },
        "stripe event for an unknown invoice",
      );
      return "ignored";
    }
    if (!rule.from.includes(invoice.status)) {
      log.warn(
        { eventId: event.id, type: event.type, status: invoice.status },
        "stripe event does not apply to the invoice's status",
      );
      return "ignored";
    }
    const at = new Date(event.created * 1000);
    const after = rule.to
      ? await tx.invoice.update({
          where: { tenantId_id: { tenantId: invoice.tenantId, id: invoice.id } },
          data: { status: rule.to, ...(rule.stamp ? { [rule.stamp]: at } : {}) },
        })
      : invoice;
    if (sync)
      await tx.stripeInvoice.update({
        where: { tenantId_invoiceId: { tenantId: invoice.tenantId, invoiceId: invoice.id } },
        data: {
          ...(object.status ? { stripeStatus: object.status } : {}),
          // A status Stripe reached itself needs no mirroring back.
          ...(rule.to && sync.mirroredStatus ? { mirroredStatus: rule.to } : {}),
          ...(event.type === "invoice.payment_failed" ? { paymentFailedAt: at } : {}),
        },
      });
    await recordAudit(tx, {
      actor: { kind: "system" },
      tenantId: invoice.tenantId,
      action: `stripe.${event.type}`,
      entity: "invoice",
      entityId: invoice.id,
      before: { status: invoice.status },
      after: { status: after.status, stripeEventId: event.id },
    });
    return "applied";
  });
}
