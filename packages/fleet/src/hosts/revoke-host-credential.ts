import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, recordAudit } from "@meterplane/db";

export async function revokeHostCredential({
  db,
  actor,
  credentialId,
}: {
  db: Database;
  actor: Actor;
  credentialId: string;
}) {
  return db.prisma.$transaction(async (tx) => {
    const before = await tx.hostCredential.findUnique({ where: { id: credentialId } });
    if (!before) throw new AppError("NOT_FOUND", "no such credential");
    if (before.revokedAt) return before;
    const after = await tx.hostCredential.update({
      where: { id: credentialId },
      data: { revokedAt: new Date() },
    });
    await recordAudit(tx, {
      actor,
      action: "host.credential.revoke",
      entity: "host",
      entityId: before.hostId,
      before: { prefix: before.prefix },
      after: { prefix: after.prefix, revokedAt: after.revokedAt },
    });
    return after;
  });
}
