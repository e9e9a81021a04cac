import type { InvoiceStatus, PageQuery, Prisma } from "@meterplane/db";

export const invoiceSorts = ["periodStart", "total", "number", "createdAt"] as const;

/**
 * One page of every tenant's invoices for operators: filtered by status and by number or tenant slug, sorted
 * by the database, with the count of all that match.
 */
export async function listInvoicesPage({
  db,
  status,
  q,
  sort,
  dir,
  skip,
  take,
}: PageQuery<(typeof invoiceSorts)[number]> & { status?: InvoiceStatus }) {
  const where: Prisma.InvoiceWhereInput = {
    ...(status ? { status } : {}),
    ...(q
      ? {
          OR: [
            { number: { contains: q, mode: "insensitive" } },
            { tenant: { slug: { contains: q.toLowerCase() } } },
          ],
        }
      : {}),
  };
  const [invoices, total] = await Promise.all([
    db.prisma.invoice.findMany({
      where,
      include: { tenant: { select: { name: true } } },
      // Prisma accepts `nulls` only on nullable columns; drafts have no number yet and sort last.
      orderBy: { [sort]: sort === "number" ? { sort: dir, nulls: "last" } : dir },
      skip,
      take,
    }),
    db.prisma.invoice.count({ where }),
  ]);
  return { invoices, total };
}
