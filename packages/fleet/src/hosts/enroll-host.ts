import { AppError, hashSecret, issueSecret, parseSecret } from "@meterplane/core";
import { type Database, recordAudit } from "@meterplane/db";
import type { EnrollResponse } from "@meterplane/wire";
import { nextHostSequence } from "./next-host-sequence.ts";

/**
 * Trades an unused, unexpired enrollment token for a new host credential and the sequence the collector's
 * first batch should carry (a re-enrolled host's collector may have lost its counter). The token works once.
 */
export async function enrollHost({ db, token }: { db: Database; token: string }): Promise<EnrollResponse> {
  const parsed = parseSecret("mpe", token);
  if (!parsed) throw new AppError("UNAUTHENTICATED", "the enrollment token is malformed");
  const { token: credential, prefix, secretHash } = issueSecret("mpc");
  return db.prisma.$transaction(async (tx) => {
    const tokenHash = hashSecret(parsed.secret);
    const used = await tx.enrollmentToken.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
    });
    if (used.count !== 1)
      throw new AppError("UNAUTHENTICATED", "the enrollment token is unknown, used or expired");
    const row = await tx.enrollmentToken.findUniqueOrThrow({ where: { tokenHash } });
    await tx.hostCredential.create({ data: { hostId: row.hostId, prefix, secretHash } });
    await recordAudit(tx, {
      actor: { kind: "host", id: row.hostId },
      action: "host.enroll",
      entity: "host",
      entityId: row.hostId,
      after: { prefix },
    });
    return { hostId: row.hostId, credential, nextSequence: await nextHostSequence(tx, row.hostId) };
  });
}
