import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, type EnvironmentKind, recordAudit } from "@meterplane/db";
import { isMeterName } from "@meterplane/wire";

export interface CreateEnvironmentOptions {
  db: Database;
  actor: Actor;
  tenantId: string;
  hostId: string;
  name: string;
  kind: EnvironmentKind;
  selector: string;
  meters?: string[];
}

export async function createEnvironment({
  db,
  actor,
  tenantId,
  hostId,
  name,
  kind,
  selector,
  meters = [],
}: CreateEnvironmentOptions) {
  const unknown = meters.filter((meter) => !isMeterName(meter));
  if (unknown.length) throw new AppError("VALIDATION_FAILED", `unknown meters: ${unknown.join(", ")}`);
  return db.prisma.$transaction(async (tx) => {
    const host = await tx.host.findUnique({ where: { id: hostId } });
    if (!host || host.removedAt) throw new AppError("NOT_FOUND", "no such host");
    const tenant = await tx.tenant.findUnique({ where: { id: tenantId } });
    if (!tenant) throw new AppError("NOT_FOUND", "no such tenant");
    const environment = await tx.environment.create({
      data: { tenantId, hostId, name, kind, selector, meters },
    });
    await recordAudit(tx, {
      actor,
      tenantId,
      action: "environment.create",
      entity: "environment",
      entityId: environment.id,
      after: environment,
    });
    return environment;
  });
}
