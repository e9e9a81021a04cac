import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, type EnvironmentKind, recordAudit } from "@meterplane/db";
import { isMeterName } from "@meterplane/wire";
import { environmentHasUsage } from "./environment-has-usage.ts";
import { assertSelectorFree, normalizeSelector } from "./environment-selector.ts";

export interface EnvironmentChanges {
  name?: string;
  kind?: EnvironmentKind;
  selector?: string;
  meters?: string[];
  tenantId?: string;
}

/**
 * Reconfigures an environment. Moving it to another tenant is allowed only while none of its usage is
 * stored, raw batches included: usage belongs to the tenant that owned the environment when it was sampled,
 * and aggregation, exports and invoices read an environment's current tenant (see DESIGN.md, Tenancy).
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
      if (await environmentHasUsage(tx, before))
        throw new AppError(
          "CONFLICT",
          "this environment already has usage stored for its tenant, which must stay that tenant's; to meter it for another tenant from now on, remove it and add a new one for that tenant",
        );
      if (!(await tx.tenant.findUnique({ where: { id: changes.tenantId } })))
        throw new AppError("NOT_FOUND", "no such tenant");
    }
    const data = { ...changes };
    if (changes.kind !== undefined || changes.selector !== undefined) {
      const kind = changes.kind ?? before.kind;
      data.selector = normalizeSelector(kind, changes.selector ?? before.selector);
      await assertSelectorFree(tx, { hostId: before.hostId, kind, selector: data.selector, environmentId });
    }
    const after = await tx.environment.update({ where: key, data });
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
