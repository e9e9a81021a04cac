import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, recordAudit } from "@meterplane/db";

export const versionPattern = /^\d+\.\d+\.\d+$/;

/** Records a collector version operators can require; a release is never edited once published. */
export async function publishCollectorRelease({
  db,
  actor,
  version,
  notes = "",
}: {
  db: Database;
  actor: Actor;
  version: string;
  notes?: string;
}) {
  if (!versionPattern.test(version))
    throw new AppError("VALIDATION_FAILED", `"${version}" is not a version like 1.4.2`);
  return db.prisma.$transaction(async (tx) => {
    if (await tx.collectorRelease.findUnique({ where: { version } }))
      throw new AppError("CONFLICT", `release ${version} is already published`);
    const release = await tx.collectorRelease.create({ data: { version, notes } });
    await recordAudit(tx, {
      actor,
      action: "collector_release.publish",
      entity: "collector_release",
      entityId: version,
      after: release,
    });
    return release;
  });
}
