import { z } from "zod";
import { meterDimensions } from "./dimensions.ts";
import { meters } from "./meters.ts";

export const maxSamplesPerBatch = 10_000;
export const maxBatchBytes = 4 * 1024 * 1024;

/**
 * The patterns both validators of a batch use: this zod schema (the documented contract, and the source of
 * error messages) and `isValidBatch` (the hot path), so the two cannot disagree on what they accept.
 */
export const samplePatterns = {
  /** Exact decimal, as a string so no float ever touches it: up to 26 digits, a point, up to 12 digits. */
  value: /^\d{1,26}(\.\d{1,12})?$/,
  environmentId: z.regexes.uuid(),
  /** An ISO 8601 instant in UTC. */
  start: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/,
  collectorVersion: /^\d+\.\d+\.\d+$/,
} as const;

const decimalString = z
  .string()
  .regex(samplePatterns.value, "must be a non-negative decimal string with at most 12 decimals");

/**
 * One observation of one meter of one environment over the interval [start, start + seconds).
 * For a counter, `value` is what it grew by in that interval; for a gauge, its level, which stood for
 * the whole interval (so value × seconds is its contribution to the time-weighted integral).
 */
export const sampleSchema = z
  .object({
    environmentId: z.string().regex(samplePatterns.environmentId, "must be a UUID"),
    meter: z.enum(Object.keys(meters) as [keyof typeof meters, ...(keyof typeof meters)[]]),
    start: z
      .string()
      .regex(samplePatterns.start, "must be an ISO 8601 instant in UTC, e.g. 2026-11-26T10:00:00Z"),
    seconds: z.number().positive().max(3600),
    value: decimalString,
    // zod drops a "__proto__" key while it builds the record, so it would slip past the dimension check: refuse it first.
    dimensions: z
      .unknown()
      .refine((raw) => typeof raw !== "object" || raw === null || !Object.hasOwn(raw, "__proto__"), {
        message: '"__proto__" is not a dimension',
      })
      .pipe(z.record(z.string().max(64), z.string().max(64)))
      .optional(),
  })
  .strict()
  .superRefine((sample, ctx) => {
    const allowed = meterDimensions[sample.meter] ?? {};
    for (const [key, value] of Object.entries(sample.dimensions ?? {})) {
      const values = Object.hasOwn(allowed, key) ? allowed[key] : undefined;
      if (!values)
        ctx.addIssue({
          code: "custom",
          path: ["dimensions", key],
          message: `${sample.meter} has no dimension "${key}"`,
        });
      else if (!values.includes(value))
        ctx.addIssue({
          code: "custom",
          path: ["dimensions", key],
          message: `must be one of ${values.join(", ")}`,
        });
    }
  });

/** What a collector posts to /api/v1/ingest. `sequence` increases by one per batch of a host. */
export const batchSchema = z
  .object({
    sequence: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    collectorVersion: z.string().regex(samplePatterns.collectorVersion, "must be MAJOR.MINOR.PATCH"),
    samples: z.array(sampleSchema).min(1).max(maxSamplesPerBatch),
  })
  .strict();

export type Sample = z.infer<typeof sampleSchema>;
export type Batch = z.infer<typeof batchSchema>;

export const ingestAckSchema = z.object({
  batchId: z.string(),
  status: z.enum(["accepted", "duplicate"]),
});
export type IngestAck = z.infer<typeof ingestAckSchema>;
