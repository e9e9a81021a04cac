import type { PageQuery, Prisma } from "@meterplane/db";

export const hostSorts = ["name", "group", "collectorVersion", "lastSeenAt"] as const;

/**
 * One page of live hosts for operators, filtered by name and group, sorted by the database (hosts never
 * seen last), each with its policy and live environments counted; with the count of all that match and what
 * the add form picks from (policies, the groups in use).
 */
export async function listHostsPage({
  db,
  q,
  group,
  sort,
  dir,
  skip,
  take,
}: PageQuery<(typeof hostSorts)[number]> & { group?: string }) {
  const where: Prisma.HostWhereInput = {
    removedAt: null,
    ...(q ? { name: { contains: q, mode: "insensitive" } } : {}),
    ...(group ? { group } : {}),
  };
  const [hosts, total, policies, groups] = await Promise.all([
    db.prisma.host.findMany({
      where,
      include: {
        policy: { select: { name: true } },
        _count: { select: { environments: { where: { removedAt: null } } } },
      },
      // Prisma accepts `nulls` only on nullable columns; hosts never seen sort last.
      orderBy: { [sort]: sort === "name" ? dir : { sort: dir, nulls: "last" } },
      skip,
      take,
    }),
    db.prisma.host.count({ where }),
    db.prisma.clientPolicy.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.prisma.host.findMany({
      where: { group: { not: null } },
      distinct: ["group"],
      select: { group: true },
    }),
  ]);
  return { hosts, total, policies, groups };
}
