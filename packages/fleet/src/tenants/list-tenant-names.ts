import type { Database } from "@meterplane/db";

/** The names of these tenants, by name: a member's tenants to switch between. */
export function listTenantNames({ db, tenantIds }: { db: Database; tenantIds: string[] }) {
  return db.prisma.tenant.findMany({
    where: { id: { in: tenantIds } },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}
