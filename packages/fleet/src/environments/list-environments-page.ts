import type { EnvironmentKind, PageQuery, Prisma } from "@meterplane/db";

export const environmentSorts = ["name", "kind", "createdAt"] as const;

/**
 * One page of live environments for operators, filtered by name, tenant slug or host name and by kind,
 * sorted by the database, with the count of all that match. The add form's pickers search on their own
 * (`searchTenants`, `searchHosts`): listing every tenant and host here made the page grow with the fleet.
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
  const [environments, total] = await Promise.all([
    db.prisma.environment.findMany({
      where,
      include: { tenant: { select: { name: true, slug: true } }, host: { select: { name: true } } },
      orderBy: { [sort]: dir },
      skip,
      take,
    }),
    db.prisma.environment.count({ where }),
  ]);
  return { environments, total };
}
