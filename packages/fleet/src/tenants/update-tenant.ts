import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, recordAudit, type TenantStatus } from "@meterplane/db";

export interface TenantChanges {
  name?: string;
  email?: string | null;
  currency?: string;
  status?: TenantStatus;
}

/** Edits a tenant; a status change is audited as a suspension or a reactivation so it stands out in the log. */
export async function updateTenant({
  db,
  actor,
  tenantId,
  changes,
}: {
  db: Database;
  actor: Actor;
  tenantId: string;
  changes: TenantChanges;
}) {
  return db.prisma.$transaction(async (tx) => {
    const before = await tx.tenant.findUnique({ where: { id: tenantId } });
    if (!before) throw new AppError("NOT_FOUND", "no such tenant");
    const after = await tx.tenant.update({
      where: { id: tenantId },
      data: { ...changes, currency: changes.currency?.toUpperCase() },
    });
    const statusChanged = changes.status !== undefined && changes.status !== before.status;
    await recordAudit(tx, {
      actor,
      tenantId,
      action: statusChanged
        ? after.status === "suspended"
          ? "tenant.suspend"
          : "tenant.reactivate"
        : "tenant.update",
      entity: "tenant",
      entityId: tenantId,
      before,
      after,
    });
    return after;
  });
}
