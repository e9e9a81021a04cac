import { aggregations } from "@meterplane/billing";
import { AppError, Dec } from "@meterplane/core";
import { type Actor, type Database, recordAudit } from "@meterplane/db";
import { z } from "zod";

const metricInput = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/),
  name: z.string().min(1),
  meter: z.string().min(1),
  aggregation: z.enum(aggregations),
  unit: z.string().min(1),
  divisor: z
    .string()
    .regex(/^\d{1,26}(\.\d{1,12})?$/)
    .refine((d) => new Dec(d).gt(0), "must be positive")
    .default("1"),
  filter: z.record(z.string(), z.string()).default({}),
  uniqueBy: z.string().min(1).nullable().default(null),
});

/** A billable quantity over one meter, e.g. GB-hours of memory: time_weighted(memory) ÷ 3.6e12. */
export async function createBillableMetric({
  db,
  actor,
  ...input
}: { db: Database; actor: Actor } & z.input<typeof metricInput>) {
  const parsed = metricInput.safeParse(input);
  if (!parsed.success) throw new AppError("VALIDATION_FAILED", z.prettifyError(parsed.error));
  return db.prisma.$transaction(async (tx) => {
    if (await tx.billableMetric.findUnique({ where: { code: parsed.data.code } }))
      throw new AppError("CONFLICT", `billable metric ${parsed.data.code} exists`);
    const metric = await tx.billableMetric.create({ data: parsed.data });
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
