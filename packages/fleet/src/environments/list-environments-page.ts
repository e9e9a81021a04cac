import type { EnvironmentKind, PageQuery, Prisma } from "@meterplane/db";

export const environmentSorts = ["name", "kind", "createdAt"] as const;

/**
 * One page of live environments for operators, filtered by name, tenant slug or host name and by kind,
 * sorted by the database, with the count of all that match; and what the add form picks from: live hosts
 * and active tenants, by name.
 */
export async function listEnvironmentsPage({
  db,
  q,
  kind,
  sort,
  dir,
  skip,
  take,
}: PageQuery<(typeof environmentSorts)[number]> & { kind?: EnvironmentKind }) {
  const where: Prisma.EnvironmentWhereInput = {
    removedAt: null,
    ...(q
      ? {
          OR: [
            { name: { contains: q, mode: "insensitive" } },
            { tenant: { slug: { contains: q.toLowerCase() } } },
            { host: { name: { contains: q, mode: "insensitive" } } },
          ],
        }
      : {}),
    ...(kind ? { kind } : {}),
  };
  const [environments, total, hosts, tenants] = await Promise.all([
    db.prisma.environment.findMany({
      where,
      include: { tenant: { select: { name: true, slug: true } }, host: { select: { name: true } } },
      orderBy: { [sort]: dir },
      skip,
      take,
    }),
    db.prisma.environment.count({ where }),
    db.prisma.host.findMany({
      where: { removedAt: null },
      orderBy: { name: "asc" },
      select: { id: true, name: true },
    }),
    db.prisma.tenant.findMany({
      where: { status: "active" },
      orderBy: { name: "asc" },
      select: { id: true, name: true, slug: true },
    }),
  ]);
  return { environments, total, hosts, tenants };
}
