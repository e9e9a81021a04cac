import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, type EnvironmentKind, recordAudit } from "@meterplane/db";
import { isMeterName } from "@meterplane/wire";

export interface EnvironmentChanges {
  name?: string;
  kind?: EnvironmentKind;
  selector?: string;
  meters?: string[];
  tenantId?: string;
}

/**
 * Reconfigures an environment. Moving it to another tenant is allowed only before it has usage: rollups
 * are keyed by tenant, so billed history must stay with the tenant that used it.
 */
export async function updateEnvironment({
  db,
  actor,
  tenantId,
  environmentId,
  changes,
}: {
  db: Database;
  actor: Actor;
  tenantId: string;
  environmentId: string;
  changes: EnvironmentChanges;
}) {
  const unknown = (changes.meters ?? []).filter((meter) => !isMeterName(meter));
  if (unknown.length) throw new AppError("VALIDATION_FAILED", `unknown meters: ${unknown.join(", ")}`);
  return db.prisma.$transaction(async (tx) => {
    const key = { tenantId_id: { tenantId, id: environmentId } };
    const before = await tx.environment.findUnique({ where: key });
    if (!before || before.removedAt) throw new AppError("NOT_FOUND", "no such environment");
    if (changes.tenantId && changes.tenantId !== tenantId) {
      const used = await tx.usageHourly.findFirst({
        where: { tenantId, environmentId },
        select: { meter: true },
      });
      if (used)
        throw new AppError(
          "CONFLICT",
          "this environment already has usage for its tenant; remove it and add a new one for the other tenant",
        );
      if (!(await tx.tenant.findUnique({ where: { id: changes.tenantId } })))
        throw new AppError("NOT_FOUND", "no such tenant");
    }
    const after = await tx.environment.update({ where: key, data: changes });
    await recordAudit(tx, {
      actor,
      tenantId: after.tenantId,
      action: "environment.update",
      entity: "environment",
      entityId: environmentId,
      before,
      after,
    });
    return after;
  });
}
