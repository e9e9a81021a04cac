import { chargeModelNames, isSupportedCurrency, rateCharge } from "@meterplane/billing";
import { AppError, Dec } from "@meterplane/core";
import type { Prisma } from "@meterplane/db";
import { z } from "zod";

const amount = z.string().regex(/^\d{1,18}(\.\d{1,6})?$/, "a non-negative decimal string");

export const planVersionInput = z.object({
  currency: z.string().refine(isSupportedCurrency, "unsupported currency"),
  interval: z.enum(["monthly", "yearly"]).default("monthly"),
  invoiceMinimum: amount.nullable().default(null),
  charges: z.array(
    z.object({
      name: z.string().min(1).optional(),
      /** The billable metric's code; absent for a flat fee. */
      metric: z.string().min(1).optional(),
      model: z.enum(chargeModelNames),
      properties: z.record(z.string(), z.unknown()),
      freeUnits: z
        .string()
        .regex(/^\d{1,26}(\.\d{1,12})?$/)
        .default("0"),
      minimumAmount: amount.nullable().default(null),
      position: z.number().int().optional(),
    }),
  ),
});
export type PlanVersionInput = z.input<typeof planVersionInput>;

export function parsePlanVersion(input: unknown) {
  const parsed = planVersionInput.safeParse(input);
  if (!parsed.success) throw new AppError("VALIDATION_FAILED", z.prettifyError(parsed.error));
  for (const charge of parsed.data.charges) {
    if ((charge.model === "flat") !== (charge.metric === undefined))
      throw new AppError("VALIDATION_FAILED", "a flat charge has no metric and every other charge has one");
    // The engine's own schemas judge the properties, so a plan can never hold what rating would refuse.
    rateCharge(charge.model, new Dec(0), charge.properties);
  }
  return parsed.data;
}

/** Writes version `version` of a plan with its charges; metrics are looked up by code. */
export async function writePlanVersion(
  tx: Prisma.TransactionClient,
  planId: string,
  version: number,
  input: ReturnType<typeof parsePlanVersion>,
) {
  const codes = [...new Set(input.charges.flatMap((c) => c.metric ?? []))];
  // A charge names the metric by code; which version rates a period is the loader's choice.
  const metrics = await tx.billableMetric.findMany({
    where: { code: { in: codes } },
    distinct: ["code"],
    orderBy: [{ code: "asc" }, { version: "desc" }],
  });
  const missing = codes.filter((code) => !metrics.some((m) => m.code === code));
  if (missing.length) throw new AppError("NOT_FOUND", `unknown billable metric(s): ${missing.join(", ")}`);
  const archived = metrics.filter((m) => m.archivedAt !== null).map((m) => m.code);
  if (archived.length)
    throw new AppError(
      "CONFLICT",
      `archived billable metric(s) cannot be charged for: ${archived.join(", ")}`,
    );
  return tx.planVersion.create({
    data: {
      planId,
      version,
      currency: input.currency,
      interval: input.interval,
      invoiceMinimum: input.invoiceMinimum,
      charges: {
        create: input.charges.map((c, index) => ({
          name: c.name ?? null,
          billableMetricId: metrics.find((m) => m.code === c.metric)?.id ?? null,
          model: c.model,
          properties: c.properties as Prisma.InputJsonValue,
          freeUnits: c.freeUnits,
          minimumAmount: c.minimumAmount,
          position: c.position ?? index,
        })),
      },
    },
    include: { charges: true },
  });
}
