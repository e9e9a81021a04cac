"use server";

import { archiveBillableMetric, createBillableMetric, editBillableMetric } from "@meterplane/invoicing";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { fields } from "@/lib/fields";

/** The form has one select per dimension (empty: any); the domain takes them as one filter. */
const definition = {
  name: fields.text(),
  meter: z.string(),
  aggregation: z.string(),
  unit: fields.text(40),
  divisor: z.string().trim(),
  channel: z.string().optional(),
  direction: z.string().optional(),
  kind: z.string().optional(),
  uniqueBy: z.string().optional(),
};

type DefinitionForm = z.infer<z.ZodObject<typeof definition>>;

function toDefinition({ channel, direction, kind, uniqueBy, ...rest }: DefinitionForm) {
  const filter = Object.fromEntries(
    Object.entries({ channel, direction, kind }).filter((entry): entry is [string, string] => !!entry[1]),
  );
  return { ...rest, divisor: rest.divisor || undefined, filter, uniqueBy: uniqueBy || null };
}

/** `filter.channel` is the form's `channel` select. */
const fieldOf = (path: string) => (path.startsWith("filter.") ? path.slice("filter.".length) : path);

export const createMetricAction = operatorAction(
  "billing",
  z.object({ code: z.string().trim(), ...definition }),
  async ({ code, ...form }, { db, actor }) => {
    await createBillableMetric({ db, actor, code, ...toDefinition(form) });
    return { message: `Metric ${code} created: charge for it in a plan` };
  },
  fieldOf,
);

export const editMetricAction = operatorAction(
  "billing",
  z.object({ code: z.string(), effectiveFrom: fields.optionalDateTime, ...definition }),
  async ({ code, effectiveFrom, ...form }, { db, actor }) => {
    const metric = await editBillableMetric({ db, actor, code, effectiveFrom, ...toDefinition(form) });
    const from = effectiveFrom
      ? `from ${metric.effectiveFrom.toISOString().slice(0, 16).replace("T", " ")} UTC`
      : "from now on";
    return {
      message: `Saved as version ${metric.version}: periods that start ${from} bill by it; periods that started before keep the previous version`,
    };
  },
  fieldOf,
);

export const archiveMetricAction = operatorAction(
  "billing",
  z.object({ code: z.string() }),
  async ({ code }, { db, actor }) => {
    await archiveBillableMetric({ db, actor, code });
    return { message: `Metric ${code} archived: plans that charge for it still do; new plans cannot` };
  },
);
