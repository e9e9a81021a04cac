import { z } from "zod";
import { chargeModelNames } from "../charge-models/index.ts";
import { aggregations } from "../metrics/billable-quantity.ts";
import { isSupportedCurrency } from "../money/currency.ts";
import {
  decimalString,
  nonNegativeDecimalString,
  positiveDecimalString,
  priceString,
} from "../money/decimal-strings.ts";

const instant = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v));

const rollup = z
  .object({
    environmentId: z.string().min(1),
    meter: z.string().min(1),
    dimensions: z.record(z.string(), z.string()).default({}),
    bucketStart: instant,
    /**
     * `span`: one series' rollups merged over [bucketStart, bucketEnd), as the invoice run loads them (see the
     * README); exact for every aggregation but `max`, which needs its buckets.
     */
    granularity: z.enum(["hour", "day", "span"]).default("hour"),
    bucketEnd: instant.optional(),
    sum: decimalString,
    max: decimalString,
    last: decimalString,
    lastAt: instant,
    integral: decimalString,
    seconds: decimalString,
    count: decimalString.optional(),
  })
  .refine((r) => r.granularity !== "span" || r.bucketEnd !== undefined, {
    message: "a span needs its bucketEnd",
    path: ["bucketEnd"],
  });

const metric = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  aggregation: z.enum(aggregations),
  divisor: positiveDecimalString.default("1"),
  filter: z.record(z.string(), z.string()).default({}),
  unit: z.string(),
  uniqueBy: z.string().min(1).optional(),
});

const charge = z
  .object({
    id: z.string().min(1),
    /** Shown on the line; defaults to the metric's name, or "Flat fee". */
    name: z.string().min(1).optional(),
    /** Lines follow charges by position, then id. */
    position: z.number().int().default(0),
    model: z.enum(chargeModelNames),
    properties: z.unknown(),
    freeUnits: nonNegativeDecimalString.default("0"),
    minimumAmount: priceString.nullable().default(null),
    metric: metric.nullable(),
  })
  .refine((c) => (c.model === "flat") === (c.metric === null), {
    message: "a flat charge has no metric and every other charge has one",
    path: ["metric"],
  });

export const ratePeriodInput = z
  .object({
    currency: z.string().refine(isSupportedCurrency, "unsupported currency"),
    period: z.object({ start: instant, end: instant }).refine((p) => p.start < p.end, "period start >= end"),
    subscription: z.object({ startAt: instant, endAt: instant.nullable().default(null) }),
    charges: z
      .array(charge)
      .refine((cs) => new Set(cs.map((c) => c.id)).size === cs.length, "charge ids must be unique"),
    /** Rollups by metric code; those outside the period or the subscription window are ignored. */
    rollups: z.record(z.string(), z.array(rollup)).default({}),
    invoiceMinimum: priceString.nullable().default(null),
  })
  .strict();

export type RatePeriodInput = z.input<typeof ratePeriodInput>;
export type ParsedRatePeriodInput = z.output<typeof ratePeriodInput>;
export type ParsedCharge = ParsedRatePeriodInput["charges"][number];
export type ParsedRollup = z.output<typeof rollup>;
