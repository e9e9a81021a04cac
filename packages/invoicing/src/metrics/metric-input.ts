import { aggregations } from "@meterplane/billing";
import { Dec, fieldErrorsOf, invalidFields } from "@meterplane/core";
import { meterDimensions, meterNames } from "@meterplane/wire";
import { z } from "zod";

/** What a metric bills: one of the eight meters, narrowed by dimension, aggregated, divided into its unit. */
export const metricDefinition = z
  .object({
    name: z.string().trim().min(1, "fill this in").max(200),
    meter: z.enum(meterNames, { message: `choose one of the eight meters: ${meterNames.join(", ")}` }),
    aggregation: z.enum(aggregations, { message: `choose one of: ${aggregations.join(", ")}` }),
    unit: z.string().trim().min(1, "fill this in").max(40),
    divisor: z
      .string()
      .regex(/^\d{1,26}(\.\d{1,12})?$/, "enter a positive number like 3600")
      .refine((d) => new Dec(d).gt(0), "must be more than 0")
      .default("1"),
    filter: z.record(z.string(), z.string()).default({}),
    uniqueBy: z.string().min(1).nullable().default(null),
  })
  .superRefine((metric, ctx) => {
    const dimensions = meterDimensions[metric.meter] ?? {};
    const named = Object.keys(dimensions);
    for (const [key, value] of Object.entries(metric.filter)) {
      const allowed = dimensions[key];
      if (!allowed)
        ctx.addIssue({
          code: "custom",
          path: ["filter", key],
          message: named.length
            ? `${metric.meter} has no dimension "${key}": it has ${named.join(", ")}`
            : `${metric.meter} has no dimensions to filter by`,
        });
      else if (!allowed.includes(value))
        ctx.addIssue({
          code: "custom",
          path: ["filter", key],
          message: `"${value}" is not a ${key} of ${metric.meter}: use ${allowed.join(", ")}`,
        });
    }
    if (metric.uniqueBy === null) return;
    if (metric.aggregation !== "unique")
      ctx.addIssue({
        code: "custom",
        path: ["uniqueBy"],
        message: "only a unique aggregation counts distinct values",
      });
    else if (!dimensions[metric.uniqueBy])
      ctx.addIssue({
        code: "custom",
        path: ["uniqueBy"],
        message: named.length
          ? `${metric.meter} has no dimension "${metric.uniqueBy}": it has ${named.join(", ")}`
          : `${metric.meter} has no dimensions: leave it empty to count environments`,
      });
  });

/** As callers have it (a form, the API): strings, judged by `metricDefinition`. */
export interface MetricDefinitionInput {
  name: string;
  meter: string;
  aggregation: string;
  unit: string;
  divisor?: string;
  filter?: Record<string, string>;
  uniqueBy?: string | null;
}

/**
 * Parses a definition or throws VALIDATION_FAILED with every problem, each under its field (`details.fields`,
 * keyed by the path joined with dots, e.g. `filter.channel`), so a form can show them where they belong.
 */
export function parseMetricDefinition(input: unknown) {
  const parsed = metricDefinition.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalidFields(fieldErrorsOf(parsed.error), "the metric is not valid");
}
