"use server";

import { chargeModelNames, rateCharge } from "@meterplane/billing";
import { AppError, Dec } from "@meterplane/core";
import { createBillableMetric, createPlan } from "@meterplane/invoicing";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { fields } from "@/lib/fields";
import { requireRole } from "@/lib/session";

function json(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {}
  throw new AppError("VALIDATION_FAILED", 'properties must be a JSON object, like {"unitPrice":"0.05"}');
}

export const createPlanAction = operatorAction(
  "billing",
  z.object({
    code: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_-]{1,62}$/, { message: "use lowercase letters, digits, - and _, like pro" }),
    name: fields.text(),
    currency: z.string().trim().toUpperCase().length(3, { message: "use a 3-letter currency like USD" }),
    interval: z.enum(["monthly", "yearly"]),
    flatFee: z.union([z.literal(""), fields.decimal]).optional(),
    metric: z.string().optional(),
    model: z.enum(chargeModelNames),
    properties: z.string(),
    freeUnits: z.union([z.literal(""), fields.decimal]).optional(),
  }),
  async (input, { db, actor }) => {
    const charges = [];
    if (input.flatFee)
      charges.push({ name: "Base fee", model: "flat" as const, properties: { amount: input.flatFee } });
    if (input.metric)
      charges.push({
        metric: input.metric,
        model: input.model,
        properties: json(input.properties),
        freeUnits: input.freeUnits || "0",
      });
    if (!charges.length) throw new AppError("VALIDATION_FAILED", "add a base fee or a usage charge");
    const plan = await createPlan({
      db,
      actor,
      code: input.code,
      name: input.name,
      version: { currency: input.currency, interval: input.interval, charges },
    });
    return { message: `Plan ${plan.plan.name} created` };
  },
);

export const createMetricAction = operatorAction(
  "billing",
  z.object({
    code: z.string().trim(),
    name: fields.text(),
    meter: fields.text(40),
    aggregation: z.enum(["sum", "max", "avg", "time_weighted", "latest", "unique"]),
    unit: fields.text(40),
    divisor: fields.decimal,
  }),
  async (input, { db, actor }) => {
    await createBillableMetric({ db, actor, ...input });
    return { message: `Metric ${input.code} created` };
  },
);

export type PricePreview =
  | { ok: true; amount: string; unitPrice: string; tiers: string[] }
  | { ok: false; message: string };

/** The live preview of the plan editor: the rating engine itself prices a quantity, so the preview cannot drift. */
export async function previewPrice(
  model: string,
  properties: string,
  quantity: string,
): Promise<PricePreview> {
  await requireRole("viewer");
  try {
    const name = z.enum(chargeModelNames).parse(model);
    const q = fields.decimal.parse(quantity);
    const rating = rateCharge(name, new Dec(q), json(properties));
    return {
      ok: true,
      amount: rating.amount.toFixed(),
      unitPrice: rating.unitPrice.toFixed(),
      tiers: rating.tiers.map(
        (t) =>
          `${t.quantity.toFixed()} × ${t.unitPrice.toFixed()}${t.flatFee.isZero() ? "" : ` + ${t.flatFee.toFixed()}`} = ${t.amount.toFixed()}`,
      ),
    };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message.split("\n")[0]! : "invalid" };
  }
}
