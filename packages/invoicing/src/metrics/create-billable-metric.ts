import { AppError, invalidFields } from "@meterplane/core";
import type { Actor } from "@meterplane/db";
import { type Database, type Prisma, recordAudit } from "@meterplane/db";
import { type MetricDefinitionInput, parseMetricDefinition } from "./metric-input.ts";

const codePattern = /^[a-z][a-z0-9_]{0,62}$/;

/** A billable quantity over one meter, e.g. GB-hours of memory: time_weighted(memory) ÷ 3.6e12. Version 1. */
export async function createBillableMetric({
  db,
  actor,
  code,
  ...input
}: { db: Database; actor: Actor; code: string } & MetricDefinitionInput) {
  if (!codePattern.test(code))
    throw invalidFields({
      code: "use lowercase letters, digits and _, starting with a letter, like cpu_hours",
    });
  const definition = parseMetricDefinition(input);
  return db.prisma.$transaction(async (tx) => {
    if (await tx.billableMetric.findFirst({ where: { code } }))
      throw new AppError("CONFLICT", `billable metric ${code} exists: edit it to change what it bills`, {
        fields: { code: `${code} is taken` },
      });
    const metric = await tx.billableMetric.create({
      data: { code, version: 1, ...definition, filter: definition.filter as Prisma.InputJsonValue },
    });
    await recordAudit(tx, {
      actor,
      action: "billable_metric.created",
      entity: "billable_metric",
      entityId: metric.id,
      after: metric,
    });
    return metric;
  });
}
