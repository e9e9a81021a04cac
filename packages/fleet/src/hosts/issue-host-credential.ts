import { issueSecret } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, recordAudit } from "@meterplane/db";

/** A credential issued directly (by the seed or an operator), without the enrollment exchange. */
export async function issueHostCredential({
  db,
  actor,
  hostId,
}: {
  db: Database;
  actor: Actor;
  hostId: string;
}) {
  const { token, prefix, secretHash } = issueSecret("mpc");
  await db.prisma.$transaction(async (tx) => {
    const row = await tx.hostCredential.create({ data: { hostId, prefix, secretHash } });
    await recordAudit(tx, {
      actor,
      action: "host.credential.issue",
      entity: "host",
      entityId: hostId,
      after: { credentialId: row.id, prefix },
    });
  });
  return { credential: token };
}
