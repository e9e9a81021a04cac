import type { Database } from "@meterplane/db";

/**
 * What is not reporting, named so an operator can go to it: hosts not seen since `hostCutoff` (or never),
 * and environments with no rollup since `usageCutoff` on a host that is itself reporting (an environment on
 * a silent host is silent with it and is counted there). At most `limit` of each, with the totals.
 */
export async function listSilentSources({
  db,
  hostCutoff,
  usageCutoff,
  limit = 10,
}: {
  db: Database;
  hostCutoff: Date;
  usageCutoff: Date;
  limit?: number;
}) {
  const [hosts, environments] = await Promise.all([
    db.pool.query<{ id: string; name: string; lastSeenAt: Date | null; total: string }>(
      `SELECT id, name, "lastSeenAt", count(*) OVER ()::text AS total FROM "Host"
        WHERE "removedAt" IS NULL AND ("lastSeenAt" IS NULL OR "lastSeenAt" < $1)
        ORDER BY "lastSeenAt" DESC NULLS LAST, name LIMIT $2`,
      [hostCutoff, limit],
    ),
    // Per environment the (tenantId, bucketStart) index answers "any rollup since the cutoff" from the
    // tenant's recent rows alone.
    db.pool.query<{
      id: string;
      name: string;
      tenantId: string;
      tenantName: string;
      hostName: string;
      total: string;
    }>(
      `SELECT e.id, e.name, e."tenantId", t.name AS "tenantName", h.name AS "hostName",
              count(*) OVER ()::text AS total
         FROM "Environment" e
         JOIN "Host" h ON h.id = e."hostId"
         JOIN "Tenant" t ON t.id = e."tenantId"
        WHERE e."removedAt" IS NULL AND h."removedAt" IS NULL AND h."lastSeenAt" >= $1
          AND NOT EXISTS (SELECT 1 FROM "UsageHourly" u
                           WHERE u."tenantId" = e."tenantId" AND u."bucketStart" >= $2 AND u."environmentId" = e.id)
        ORDER BY t.name, e.name LIMIT $3`,
      [hostCutoff, new Date(Math.floor(usageCutoff.getTime() / 3_600_000) * 3_600_000), limit],
    ),
  ]);
  return {
    hosts: hosts.rows.map(({ total: _, ...host }) => host),
    hostTotal: Number(hosts.rows[0]?.total ?? 0),
    environments: environments.rows.map(({ total: _, ...environment }) => environment),
    environmentTotal: Number(environments.rows[0]?.total ?? 0),
  };
}
