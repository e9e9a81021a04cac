import type { Database } from "@meterplane/db";

/** A tenant's keys, newest first, revoked ones included (their history matters); never the secret hash. */
export async function listApiKeys({ db, tenantId }: { db: Database; tenantId: string }) {
  return db.prisma.apiKey.findMany({
    where: { tenantId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
    },
  });
}
