import { AppError } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, recordAudit } from "@meterplane/db";

/**
 * Archives a metric: new plan versions can no longer charge for it. Plan versions that already do keep
 * billing it, by the version in effect, so subscriptions on them are not changed by the archive.
 */
export async function archiveBillableMetric({
  db,
  actor,
  code,
  at = new Date(),
}: {
  db: Database;
  actor: Actor;
  code: string;
  at?: Date;
}) {
  return db.prisma.$transaction(async (tx) => {
    const { count } = await tx.billableMetric.updateMany({
      where: { code, archivedAt: null },
      data: { archivedAt: at },
    });
    if (count === 0) {
      const exists = await tx.billableMetric.findFirst({ where: { code } });
      throw exists
        ? new AppError("CONFLICT", `billable metric ${code} is already archived`)
        : new AppError("NOT_FOUND", `billable metric ${code} not found`);
    }
    await recordAudit(tx, {
      actor,
      action: "billable_metric.archived",
      entity: "billable_metric",
      entityId: code,
      after: { code, archivedAt: at },
    });
    return { code, archivedAt: at };
  });
}
