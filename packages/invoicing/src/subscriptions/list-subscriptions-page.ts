import type { PageQuery, Prisma, SubscriptionStatus } from "@meterplane/db";

export const subscriptionSorts = ["startAt", "createdAt"] as const;

/**
 * One page of subscriptions for operators, filtered by tenant name or slug and by status, sorted by the
 * database, with the count of all that match; and every plan version (newest first within a plan), which
 * a row's move offers. The subscribe form's pickers search on their own (`searchTenants`,
 * `searchPlanVersions`): listing every tenant here made the page grow with the tenants.
 */
export async function listSubscriptionsPage({
  db,
  q,
  status,
  sort,
  dir,
  skip,
  take,
}: PageQuery<(typeof subscriptionSorts)[number]> & { status?: SubscriptionStatus }) {
  const where: Prisma.SubscriptionWhereInput = {
    ...(q
      ? {
          tenant: {
            OR: [{ slug: { contains: q.toLowerCase() } }, { name: { contains: q, mode: "insensitive" } }],
          },
        }
      : {}),
    ...(status ? { status } : {}),
  };
  const [subscriptions, total, versions] = await Promise.all([
    db.prisma.subscription.findMany({
      where,
      include: { tenant: { select: { name: true } }, planVersion: { include: { plan: true } } },
      orderBy: { [sort]: dir },
      skip,
      take,
    }),
    db.prisma.subscription.count({ where }),
    db.prisma.planVersion.findMany({
      include: { plan: true },
      orderBy: [{ plan: { name: "asc" } }, { version: "desc" }],
    }),
  ]);
  return { subscriptions, total, versions };
}
