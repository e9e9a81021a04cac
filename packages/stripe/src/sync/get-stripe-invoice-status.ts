import type { Database } from "@meterplane/db";

/** Where an invoice stands in Stripe, for the portal: the sync's step, Stripe's status, what is mirrored, payments. */
export async function getStripeInvoiceStatus({
  db,
  tenantId,
  invoiceId,
}: {
  db: Database;
  tenantId: string;
  invoiceId: string;
}) {
  const sync = await db.prisma.stripeInvoice.findUnique({
    where: { tenantId_invoiceId: { tenantId, invoiceId } },
    include: { invoice: { select: { status: true, creditNotes: { select: { stripe: true } } } } },
  });
  if (!sync) return null;
  const notes = sync.invoice.creditNotes;
  return {
    state: sync.state,
    stripeInvoiceId: sync.stripeInvoiceId,
    stripeStatus: sync.stripeStatus,
    collectionMethod: sync.collectionMethod,
    /** Our status not yet carried to Stripe, if any. */
    pendingStatus:
      sync.state === "finalized" && sync.mirroredStatus !== sync.invoice.status ? sync.invoice.status : null,
    creditNotes: { total: notes.length, inStripe: notes.filter((n) => n.stripe).length },
    paymentFailedAt: sync.paymentFailedAt,
    attempts: sync.attempts,
    lastError: sync.lastError,
  };
}
