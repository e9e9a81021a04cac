import { AppError, issueSecret } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, recordAudit } from "@meterplane/db";

const tokenLifetimeMs = 24 * 3600 * 1000;

/** A one-time token for `meterplane-collector enroll`; returned once, stored only as a hash. */
export async function issueEnrollmentToken({
  db,
  actor,
  hostId,
}: {
  db: Database;
  actor: Actor;
  hostId: string;
}) {
  const { token, secretHash } = issueSecret("mpe");
  const expiresAt = new Date(Date.now() + tokenLifetimeMs);
  await db.prisma.$transaction(async (tx) => {
    const host = await tx.host.findUnique({ where: { id: hostId } });
    if (!host || host.removedAt) throw new AppError("NOT_FOUND", "no such host");
    const row = await tx.enrollmentToken.create({ data: { hostId, tokenHash: secretHash, expiresAt } });
    await recordAudit(tx, {
      actor,
      action: "host.enrollment_token.issue",
      entity: "host",
      entityId: hostId,
      after: { tokenId: row.id, expiresAt },
    });
  });
  return { token, expiresAt };
}
