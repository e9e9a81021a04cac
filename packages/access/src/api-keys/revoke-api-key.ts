import { AppError } from "@meterplane/core";
import { type Actor, type Database, recordAudit } from "@meterplane/db";

/**
 * Revokes a key of `tenantId` (null: an operator-wide key). A key of another tenant is NOT_FOUND, so ids
 * cannot be probed; revoking twice is a no-op that keeps the first revocation time.
 */
export async function revokeApiKey({
  db,
  actor,
  tenantId,
  keyId,
}: {
  db: Database;
  actor: Actor;
  tenantId: string | null;
  keyId: string;
}) {
  return db.prisma.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({ where: { id: keyId, tenantId } });
    if (!key) throw new AppError("NOT_FOUND", "no such API key");
    if (key.revokedAt) return key;
    const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "api_key.revoke",
      entity: "api_key",
      entityId: key.id,
      before: { revokedAt: null },
      after: { revokedAt: revoked.revokedAt },
    });
    return revoked;
  });
}
