"use server";

import {
  chargeModelNames,
  currencyExponent,
  isSupportedCurrency,
  rateCharge,
  roundMoney,
} from "@meterplane/billing";
import { Dec, isAppError } from "@meterplane/core";
import { createPlan, createPlanVersion } from "@meterplane/invoicing";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { fields } from "@/lib/fields";
import { requireRole } from "@/lib/session";

const optionalDecimal = z
  .union([z.literal(""), fields.decimal])
  .nullish()
  .transform((v) => v || null);

const charge = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  metric: z.string().min(1).optional(),
  model: z.enum(chargeModelNames),
  properties: z.record(z.string(), z.unknown()),
  freeUnits: fields.decimal,
  minimumAmount: optionalDecimal,
});

/** The editor sends its charge rows as one JSON field; the domain then checks each against the engine. */
const charges = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "the charges could not be read; reload the page" });
      return z.NEVER;
    }
  })
  .pipe(z.array(charge).min(1, { message: "add at least one charge" }).max(50));

const versionFields = {
  currency: z.string().trim().toUpperCase().length(3, { message: "use a 3-letter currency like USD" }),
  interval: z.enum(["monthly", "yearly"]),
  invoiceMinimum: optionalDecimal,
  charges,
};

export const createPlanAction = operatorAction(
  "billing",
  z.object({
    code: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_-]{1,62}$/, { message: "use lowercase letters, digits, - and _, like pro" }),
    name: fields.text(),
    ...versionFields,
  }),
  async ({ code, name, ...version }, { db, actor }) => {
    const plan = await createPlan({ db, actor, code, name, version });
    return { message: `Plan ${plan.plan.name} created`, redirectTo: `/plans/${plan.plan.id}` };
  },
);

export const createPlanVersionAction = operatorAction(
  "billing",
  z.object({ planId: fields.id, ...versionFields }),
  async ({ planId, ...version }, { db, actor }) => {
    const created = await createPlanVersion({ db, actor, planId, version });
    return {
      message: `Version ${created.version} saved: move subscriptions to it on the Subscriptions page or below`,
    };
  },
);

export type ChargePreview = { ok: true; amount: string; work: string } | { ok: false; message: string };
export type PlanPreview = { charges: ChargePreview[]; total: string | null; note: string };

const previewInput = z.object({
  currency: z.string().trim().toUpperCase().length(3),
  invoiceMinimum: optionalDecimal,
  charges: z.array(z.object({ charge: z.unknown(), quantity: z.string() })).max(50),
});

const previewQuantity = z.object({ quantity: fields.decimal });

function firstLine(error: unknown): string {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return `${issue?.path.join(".") || "charge"}: ${issue?.message ?? "invalid"}`;
  }
  return error instanceof Error ? error.message.split("\n")[0]! : "invalid";
}

/**
 * The editor's live preview: what each charge costs for the quantity typed beside it over one whole period,
 * priced by the rating engine itself (free units off first, then the minimum) so the preview cannot drift.
 */
export async function previewPlan(input: z.input<typeof previewInput>): Promise<PlanPreview> {
  // Called while typing, not submitted: a session that ended gets a note in the preview, not a failed request.
  const allowed = await requireRole("viewer").then(
    () => null,
    (error: unknown) => {
      if (isAppError(error)) return error.message;
      throw error;
    },
  );
  if (allowed !== null) return { charges: [], total: null, note: allowed };
  const parsed = previewInput.safeParse(input);
  if (!parsed.success || !isSupportedCurrency(parsed.data.currency))
    return { charges: [], total: null, note: "fill in a supported 3-letter currency, like USD" };
  const { currency, invoiceMinimum } = parsed.data;
  const rows = parsed.data.charges.map(({ charge: raw, quantity }): ChargePreview & { value?: Dec } => {
    try {
      const c = charge.parse(raw);
      const measured =
        c.model === "flat" ? new Dec(0) : new Dec(previewQuantity.parse({ quantity }).quantity);
      const billable = Dec.max(measured.minus(c.freeUnits), 0);
      const rating = rateCharge(c.model, billable, c.properties);
      const rated = roundMoney(rating.amount, currency);
      const value = c.minimumAmount && rated.lt(c.minimumAmount) ? new Dec(c.minimumAmount) : rated;
      const work =
        c.model === "flat"
          ? "per period"
          : [
              `${billable.toFixed()} billable`,
              ...rating.tiers.map((t) => `${t.quantity.toFixed()} × ${t.unitPrice.toFixed()}`),
              value.eq(rated) ? "" : `minimum ${c.minimumAmount}`,
            ]
              .filter(Boolean)
              .join(" · ");
      return { ok: true, amount: value.toFixed(), work, value };
    } catch (error) {
      return { ok: false, message: firstLine(error) };
    }
  });
  if (rows.some((r) => !r.ok))
    return { charges: rows, total: null, note: "fix the charges marked in red to see a total" };
  const sum = rows.reduce((acc, r) => acc.plus(r.value ?? 0), new Dec(0));
  const topped = invoiceMinimum && sum.lt(invoiceMinimum);
  const total = topped ? new Dec(invoiceMinimum) : sum;
  return {
    charges: rows.map(({ value: _value, ...r }) => r),
    total: total.toFixed(currencyExponent(currency)),
    note: topped ? `topped up to the invoice minimum ${invoiceMinimum}` : "one full period, before tax",
  };
}
