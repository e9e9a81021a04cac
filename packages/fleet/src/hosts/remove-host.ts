import { AppError } from "@meterplane/core";
import { type Actor, type Database, recordAudit } from "@meterplane/db";

/**
 * Retires a host: its credentials are revoked (its collector's next request is refused), its environments
 * stop being metered, and nothing is deleted: batches, rollups, invoices and the host row stay as history.
 */
export async function removeHost({ db, actor, hostId }: { db: Database; actor: Actor; hostId: string }) {
  return db.prisma.$transaction(async (tx) => {
    const before = await tx.host.findUnique({ where: { id: hostId } });
    if (!before) throw new AppError("NOT_FOUND", "no such host");
    if (before.removedAt) return before;
    const now = new Date();
    const revoked = await tx.hostCredential.updateMany({
      where: { hostId, revokedAt: null },
      data: { revokedAt: now },
    });
    const environments = await tx.environment.updateMany({
      where: { hostId, removedAt: null },
      data: { removedAt: now },
    });
    await tx.enrollmentToken.updateMany({ where: { hostId, usedAt: null }, data: { expiresAt: now } });
    const after = await tx.host.update({ where: { id: hostId }, data: { removedAt: now } });
    await recordAudit(tx, {
      actor,
      action: "host.remove",
      entity: "host",
      entityId: hostId,
      before,
      after: { ...after, credentialsRevoked: revoked.count, environmentsRemoved: environments.count },
    });
    return after;
  });
}
