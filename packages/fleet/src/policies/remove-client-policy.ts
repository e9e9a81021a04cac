import { AppError } from "@meterplane/core";
import { type Actor, type Database, recordAudit } from "@meterplane/db";

/**
 * Deletes a client policy. Its hosts fall back to the default settings on their next config poll; the audit
 * log keeps the policy as it was and which hosts it applied to.
 */
export async function removeClientPolicy({
  db,
  actor,
  policyId,
}: {
  db: Database;
  actor: Actor;
  policyId: string;
}) {
  return db.prisma.$transaction(async (tx) => {
    const before = await tx.clientPolicy.findUnique({
      where: { id: policyId },
      include: { hosts: { select: { id: true } } },
    });
    if (!before) throw new AppError("NOT_FOUND", "no such client policy");
    await tx.host.updateMany({ where: { policyId }, data: { policyId: null } });
    await tx.clientPolicy.delete({ where: { id: policyId } });
    const { hosts, ...policy } = before;
    await recordAudit(tx, {
      actor,
      action: "client_policy.remove",
      entity: "client_policy",
      entityId: policyId,
      before: { ...policy, hostIds: hosts.map((h) => h.id) },
    });
    return { hostsDetached: hosts.length };
  });
}
