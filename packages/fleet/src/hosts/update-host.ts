import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, recordAudit } from "@meterplane/db";

/** Moves a host to another group (and so minimum collector version) or client policy. */
export async function updateHost({
  db,
  actor,
  hostId,
  changes,
}: {
  db: Database;
  actor: Actor;
  hostId: string;
  changes: { group?: string | null; policyId?: string | null };
}) {
  return db.prisma.$transaction(async (tx) => {
    const before = await tx.host.findUnique({ where: { id: hostId } });
    if (!before || before.removedAt) throw new AppError("NOT_FOUND", "no such host");
    if (changes.policyId && !(await tx.clientPolicy.findUnique({ where: { id: changes.policyId } })))
      throw new AppError("NOT_FOUND", "no such client policy");
    const after = await tx.host.update({ where: { id: hostId }, data: changes });
    await recordAudit(tx, { actor, action: "host.update", entity: "host", entityId: hostId, before, after });
    return after;
  });
}
