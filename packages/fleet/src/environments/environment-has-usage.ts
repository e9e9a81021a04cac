import type { Prisma } from "@meterplane/db";

/**
 * Whether usage of the environment may be stored: rollups of it, or a raw batch (aggregated or not) that
 * its host sent while the environment belonged to its tenant. A batch's body is compressed, so a batch is
 * matched by host, tenant and time rather than read: another environment of the same tenant on the same
 * host counts too. That errs towards refusing a move, never towards moving usage to another tenant. Every host
 * that metered it counts (an environment moved between hosts was sent by each).
 */
export async function environmentHasUsage(
  prisma: Prisma.TransactionClient,
  environment: { tenantId: string; id: string; hostId: string; createdAt: Date },
): Promise<boolean> {
  const rollup = await prisma.usageHourly.findFirst({
    where: { tenantId: environment.tenantId, environmentId: environment.id },
    select: { meter: true },
  });
  if (rollup) return true;
  const batches = await prisma.$queryRaw<{ found: number }[]>`
    SELECT 1 AS found FROM "SampleBatch"
     WHERE ("hostId" = ${environment.hostId}::uuid OR "hostId" IN (
             SELECT "hostId" FROM "EnvironmentAssignment"
              WHERE "tenantId" = ${environment.tenantId}::uuid AND "environmentId" = ${environment.id}::uuid))
       AND ${environment.tenantId}::uuid = ANY ("tenantIds")
       AND "receivedAt" >= ${environment.createdAt}
     LIMIT 1`;
  return batches.length > 0;
}
