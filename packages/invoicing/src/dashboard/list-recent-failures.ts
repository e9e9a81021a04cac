import type { Database } from "@meterplane/db";

/** Invoice runs with failures and invoices whose Stripe sync failed, newest first, with their counts. */
export async function listRecentFailures({ db, limit = 5 }: { db: Database; limit?: number }) {
  const [runs, syncs, failedSyncs] = await Promise.all([
    db.prisma.invoiceRun.findMany({
      where: { failed: { gt: 0 } },
      orderBy: { startedAt: "desc" },
      take: limit,
    }),
    db.prisma.stripeInvoice.findMany({
      where: { state: "failed" },
      include: { invoice: { select: { number: true, tenant: { select: { name: true } } } } },
      orderBy: { updatedAt: "desc" },
      take: limit,
    }),
    db.prisma.stripeInvoice.count({ where: { state: "failed" } }),
  ]);
  return { runs, syncs, failedSyncs };
}
