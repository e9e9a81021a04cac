import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, recordAudit } from "@meterplane/db";

/** Stops metering an environment; its usage stays, so past and current invoices are unaffected. */
export async function removeEnvironment({
  db,
  actor,
  tenantId,
  environmentId,
}: {
  db: Database;
  actor: Actor;
  tenantId: string;
  environmentId: string;
}) {
  return db.prisma.$transaction(async (tx) => {
    const key = { tenantId_id: { tenantId, id: environmentId } };
    const before = await tx.environment.findUnique({ where: key });
    if (!before) throw new AppError("NOT_FOUND", "no such environment");
    if (before.removedAt) return before;
    const after = await tx.environment.update({ where: key, data: { removedAt: new Date() } });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "environment.remove",
      entity: "environment",
      entityId: environmentId,
      before,
      after,
    });
    return after;
  });
}
