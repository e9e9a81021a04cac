import type { Database } from "@meterplane/db";

/** The run record of the cut-off `at`: created once, reopened when the same run is repeated. */
export async function openInvoiceRun({ db, at }: { db: Database; at: Date }) {
  return db.prisma.invoiceRun.upsert({
    where: { periodEnd: at },
    create: { periodEnd: at },
    update: { status: "running", finishedAt: null },
  });
}
