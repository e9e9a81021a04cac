import { z } from "zod";
import { dimensionKey, meterDimensions } from "./dimensions.ts";
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

const environmentIdSchema = z.string().regex(samplePatterns.environmentId, "must be a UUID");
const meterSchema = z.enum(Object.keys(meters) as [keyof typeof meters, ...(keyof typeof meters)[]]);
const startSchema = z
  .string()
  .regex(samplePatterns.start, "must be an ISO 8601 instant in UTC, e.g. 2026-11-26T10:00:00Z");
const secondsSchema = z.number().positive().max(3600);
// zod drops a "__proto__" key while it builds the record, so it would slip past the dimension check: refuse it first.
const dimensionsSchema = z
  .unknown()
  .refine((raw) => typeof raw !== "object" || raw === null || !Object.hasOwn(raw, "__proto__"), {
    message: '"__proto__" is not a dimension',
  })
  .pipe(z.record(z.string().max(64), z.string().max(64)))
  .optional();

function checkDimensions(
  { meter, dimensions }: { meter: keyof typeof meters; dimensions?: Record<string, string> | undefined },
  ctx: z.RefinementCtx,
) {
  const allowed = meterDimensions[meter] ?? {};
  for (const [key, value] of Object.entries(dimensions ?? {})) {
    const values = Object.hasOwn(allowed, key) ? allowed[key] : undefined;
    if (!values)
      ctx.addIssue({
        code: "custom",
        path: ["dimensions", key],
        message: `${meter} has no dimension "${key}"`,
      });
    else if (!values.includes(value))
      ctx.addIssue({
        code: "custom",
        path: ["dimensions", key],
        message: `must be one of ${values.join(", ")}`,
      });
  }
}

/**
 * One observation of one meter of one environment over the interval [start, start + seconds).
 * For a counter, `value` is what it grew by in that interval; for a gauge, its level, which stood for
 * the whole interval (so value × seconds is its contribution to the time-weighted integral).
 */
export const sampleSchema = z
  .object({
    environmentId: environmentIdSchema,
    meter: meterSchema,
    start: startSchema,
    seconds: secondsSchema,
    value: decimalString,
    dimensions: dimensionsSchema,
  })
  .strict()
  .superRefine(checkDimensions);

/**
 * The samples of one environment, meter and set of dimensions: point i started at `starts[i]`, lasted
 * `seconds[i]` and measured `values[i]`. A batch names each series once instead of once per sample, which
 * makes it a third of the JSON to write, send and parse.
 */
export const seriesSchema = z
  .object({
    environmentId: environmentIdSchema,
    meter: meterSchema,
    dimensions: dimensionsSchema,
    starts: z.array(startSchema).min(1).max(maxSamplesPerBatch),
    seconds: z.array(secondsSchema).min(1).max(maxSamplesPerBatch),
    values: z.array(decimalString).min(1).max(maxSamplesPerBatch),
  })
  .strict()
  .superRefine((series, ctx) => {
    checkDimensions(series, ctx);
    if (series.seconds.length !== series.starts.length || series.values.length !== series.starts.length)
      ctx.addIssue({ code: "custom", message: "starts, seconds and values must be equally long" });
  });

/**
 * What a collector posts to /api/v1/ingest. `sequence` increases by one per batch of a host; a batch
 * holds at most `maxSamplesPerBatch` points over all its series.
 */
export const batchSchema = z
  .object({
    sequence: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    collectorVersion: z.string().regex(samplePatterns.collectorVersion, "must be MAJOR.MINOR.PATCH"),
    series: z.array(seriesSchema).min(1).max(maxSamplesPerBatch),
  })
  .strict()
  .superRefine((batch, ctx) => {
    if (batch.series.reduce((n, series) => n + series.starts.length, 0) > maxSamplesPerBatch)
      ctx.addIssue({
        code: "custom",
        path: ["series"],
        message: `holds more than ${maxSamplesPerBatch} points`,
      });
  });

/**
 * A batch as a flat list of samples: the wire form collectors before 0.2.0 send (still accepted, and still
 * how older stored batches read), and the form display and export read every stored batch in.
 */
export const flatBatchSchema = z
  .object({
    sequence: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    collectorVersion: z.string().regex(samplePatterns.collectorVersion, "must be MAJOR.MINOR.PATCH"),
    samples: z.array(sampleSchema).min(1).max(maxSamplesPerBatch),
  })
  .strict();

export type Sample = z.infer<typeof sampleSchema>;
export type Series = z.infer<typeof seriesSchema>;
export type Batch = z.infer<typeof batchSchema>;
export type FlatBatch = z.infer<typeof flatBatchSchema>;

/** How many samples (points) a batch holds. */
export function countSamples(batch: Batch): number {
  let count = 0;
  for (const series of batch.series) count += series.starts.length;
  return count;
}

/**
 * Groups samples into series, in the order each series first appears; within a series, samples keep
 * their order. Dimensions name a series whatever the order of their keys.
 */
export function seriesOfSamples(samples: Iterable<Sample>): Series[] {
  const byKey = new Map<string, Series>();
  for (const { environmentId, meter, dimensions, start, seconds, value } of samples) {
    const key = `${environmentId}|${meter}|${dimensionKey(dimensions)}`;
    let series = byKey.get(key);
    if (!series) {
      series = {
        environmentId,
        meter,
        ...(dimensions && { dimensions }),
        starts: [],
        seconds: [],
        values: [],
      };
      byKey.set(key, series);
    }
    series.starts.push(start);
    series.seconds.push(seconds);
    series.values.push(value);
  }
  return [...byKey.values()];
}

/** The samples of a batch in either wire form: a flat one's in its order, a series one's series by series. */
export function samplesOf(batch: Batch | FlatBatch): Sample[] {
  return "series" in batch ? samplesOfSeries(batch.series) : batch.samples;
}

/** A batch's samples, series by series. */
export function samplesOfSeries(series: Iterable<Series>): Sample[] {
  const samples: Sample[] = [];
  for (const { environmentId, meter, dimensions, starts, seconds, values } of series)
    for (let i = 0; i < starts.length; i++) {
      const sample: Sample = {
        environmentId,
        meter,
        start: starts[i]!,
        seconds: seconds[i]!,
        value: values[i]!,
      };
      if (dimensions) sample.dimensions = dimensions;
      samples.push(sample);
    }
  return samples;
}

export const ingestAckSchema = z.object({
  batchId: z.string(),
  status: z.enum(["accepted", "duplicate"]),
  /** Samples the server did not store: a moved environment's, outside this host's assignment (with why). */
  dropped: z
    .array(z.object({ environmentId: z.string(), samples: z.number(), reason: z.string() }))
    .optional(),
});
export type IngestAck = z.infer<typeof ingestAckSchema>;
