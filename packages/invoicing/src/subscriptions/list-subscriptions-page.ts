import type { PageQuery, Prisma, SubscriptionStatus } from "@meterplane/db";

export const subscriptionSorts = ["startAt", "createdAt"] as const;

/**
 * One page of subscriptions for operators, filtered by tenant name or slug and by status, sorted by the
 * database, with the count of all that match; and what the subscribe form picks from: every plan version
 * (newest first within a plan) and the active tenants.
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
  const [subscriptions, total, versions, tenants] = await Promise.all([
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
    db.prisma.tenant.findMany({
      where: { status: "active" },
      orderBy: { name: "asc" },
      select: { id: true, name: true, slug: true },
    }),
  ]);
  return { subscriptions, total, versions, tenants };
}
