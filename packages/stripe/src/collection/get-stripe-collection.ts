import type { Database } from "@meterplane/db";

/** How Stripe collects the tenant's invoices, whether it can charge them, and how the last ones fared. */
export async function getStripeCollection({ db, tenantId }: { db: Database; tenantId: string }) {
  const [collection, customer, recent] = await Promise.all([
    db.prisma.stripeCollection.findUnique({ where: { tenantId } }),
    db.prisma.stripeCustomer.findUnique({ where: { tenantId } }),
    db.prisma.stripeInvoice.findMany({
      where: { tenantId, stripeInvoiceId: { not: null } },
      include: { invoice: { select: { number: true, status: true, periodEnd: true } } },
      orderBy: { invoice: { periodEnd: "desc" } },
      take: 5,
    }),
  ]);
  return {
    method: collection?.method ?? "send_invoice",
    daysUntilDue: collection?.daysUntilDue ?? 30,
    stripeCustomerId: customer?.stripeCustomerId ?? null,
    defaultPaymentMethod: customer?.defaultPaymentMethod ?? null,
    payments: recent.map((row) => ({
      invoiceId: row.invoiceId,
      number: row.invoice.number,
      status: row.invoice.status,
      stripeStatus: row.stripeStatus,
      paymentFailedAt: row.paymentFailedAt,
    })),
  };
}
