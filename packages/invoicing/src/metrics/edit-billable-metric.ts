import { AppError, invalidFields } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, type Prisma, recordAudit } from "@meterplane/db";
import { type MetricDefinitionInput, parseMetricDefinition } from "./metric-input.ts";

/**
 * Changes what a metric bills by adding its next version, effective from `effectiveFrom` (default now):
 * periods that start then or later are rated by it, periods already under way keep the definition they
 * started with, so an edit never changes a draft behind a tenant's back nor an invoice already sent.
 */
export async function editBillableMetric({
  db,
  actor,
  code,
  at = new Date(),
  effectiveFrom = at,
  ...input
}: {
  db: Database;
  actor: Actor;
  code: string;
  at?: Date;
  effectiveFrom?: Date;
} & MetricDefinitionInput) {
  if (effectiveFrom < at)
    throw invalidFields({ effectiveFrom: "an edit applies from now or later, never to periods under way" });
  const definition = parseMetricDefinition(input);
  return db.prisma.$transaction(async (tx) => {
    // The latest version, locked: two edits at once get consecutive versions, not a conflict.
    const [latest] = await tx.$queryRaw<{ id: string; version: number; archivedAt: Date | null }[]>`
      SELECT id, version, "archivedAt" FROM "BillableMetric" WHERE code = ${code}
       ORDER BY version DESC LIMIT 1 FOR UPDATE`;
    if (!latest) throw new AppError("NOT_FOUND", `billable metric ${code} not found`);
    if (latest.archivedAt) throw new AppError("CONFLICT", `billable metric ${code} is archived`);
    const before = await tx.billableMetric.findUniqueOrThrow({ where: { id: latest.id } });
    const metric = await tx.billableMetric.create({
      data: {
        code,
        version: latest.version + 1,
        effectiveFrom,
        ...definition,
        filter: definition.filter as Prisma.InputJsonValue,
      },
    });
    await recordAudit(tx, {
      actor,
      action: "billable_metric.edited",
      entity: "billable_metric",
      entityId: metric.id,
      before,
      after: metric,
    });
    return metric;
  });
}
