import { chargeModelNames, currencyProblem, rateCharge } from "@meterplane/billing";
import { AppError, Dec, type FieldErrors, fieldErrorsOf, invalidFields, isAppError } from "@meterplane/core";
import type { Prisma } from "@meterplane/db";
import { z } from "zod";

const amount = z.string().regex(/^\d{1,18}(\.\d{1,6})?$/, "a non-negative decimal string");

export const planVersionInput = z.object({
  currency: z.string().superRefine((currency, ctx) => {
    const problem = currencyProblem(currency);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
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

/**
 * Checks a plan version whole and refuses it with every problem at its field, by path: `currency`,
 * `charges.2.metric`, `charges.0.properties.tiers.2.unitPrice` (the editor shows each at its input).
 */
export function parsePlanVersion(input: unknown) {
  const parsed = planVersionInput.safeParse(input);
  const fields: FieldErrors = parsed.success ? {} : fieldErrorsOf(parsed.error);
  // A bad currency or minimum does not hide what is wrong with the charges.
  const charges = parsed.success
    ? parsed.data.charges
    : (planVersionInput.pick({ charges: true }).safeParse(input).data?.charges ?? []);
  charges.forEach((charge, i) => {
    if ((charge.model === "flat") !== (charge.metric === undefined))
      fields[`charges.${i}.metric`] = "a flat charge has no metric and every other charge has one";
    // The engine's own schemas judge the properties, so a plan can never hold what rating would refuse.
    for (const issue of chargePropertyIssues(charge.model, charge.properties))
      fields[["charges", i, "properties", ...issue.path].join(".")] ??= issue.message;
  });
  if (!parsed.success || Object.keys(fields).length)
    throw invalidFields(fields, "the plan version needs fixing");
  return parsed.data;
}

/** What the rating engine refuses in a charge's properties, each problem with its path in them. */
function chargePropertyIssues(
  model: (typeof chargeModelNames)[number],
  properties: unknown,
): { path: PropertyKey[]; message: string }[] {
  try {
    rateCharge(model, new Dec(0), properties);
    return [];
  } catch (error) {
    const issues = isAppError(error) ? (error.details as { issues?: z.core.$ZodIssue[] })?.issues : undefined;
    if (!issues) throw error;
    return issues;
  }
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
