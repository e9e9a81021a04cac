import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, recordAudit } from "@meterplane/db";

/**
 * Forces an upgrade: the collector config of every host in `group` (or of all hosts when group is null)
 * names `version` as the oldest allowed, and older collectors must upgrade. Only published releases qualify,
 * so nobody can require a collector that does not exist.
 */
export async function setMinimumCollectorVersion({
  db,
  actor,
  group = null,
  version,
}: {
  db: Database;
  actor: Actor;
  group?: string | null;
  version: string;
}) {
  return db.prisma.$transaction(async (tx) => {
    if (!(await tx.collectorRelease.findUnique({ where: { version } })))
      throw new AppError("NOT_FOUND", `release ${version} is not published; publish it first`);
    // `group` is unique but Postgres lets several NULLs coexist, so the global row is found, not upserted.
    const before = await tx.minimumCollectorVersion.findFirst({ where: { group } });
    const data = {
      group,
      version,
      setAt: new Date(),
      setById: actor.kind === "user" ? (actor.id ?? null) : null,
    };
    const after = before
      ? await tx.minimumCollectorVersion.update({ where: { id: before.id }, data })
      : await tx.minimumCollectorVersion.create({ data });
    await recordAudit(tx, {
      actor,
      action: "collector.minimum_version.set",
      entity: "minimum_collector_version",
      entityId: group ?? "*",
      before,
      after,
    });
    return after;
  });
}
