import {
  type Batch,
  batchSchema,
  type FlatBatch,
  flatBatchSchema,
  maxSamplesPerBatch,
  samplePatterns,
  seriesOfSamples,
} from "./batch.ts";
import { meterDimensions } from "./dimensions.ts";
import { meters } from "./meters.ts";

const seriesKeys = new Set(["environmentId", "meter", "dimensions", "starts", "seconds", "values"]);
const batchKeys = new Set(["sequence", "collectorVersion", "series"]);
const sampleKeys = new Set(["environmentId", "meter", "start", "seconds", "value", "dimensions"]);
const flatBatchKeys = new Set(["sequence", "collectorVersion", "samples"]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hasOnly(object: Record<string, unknown>, keys: Set<string>): boolean {
  for (const key in object) if (!keys.has(key)) return false;
  return true;
}

function isValidHeader(input: Record<string, unknown>): boolean {
  const { sequence, collectorVersion } = input;
  return (
    Number.isSafeInteger(sequence) &&
    (sequence as number) >= 0 &&
    typeof collectorVersion === "string" &&
    samplePatterns.collectorVersion.test(collectorVersion)
  );
}

function isValidDimensions(meter: string, dimensions: unknown): boolean {
  if (dimensions === undefined) return true;
  if (!isPlainObject(dimensions)) return false;
  const allowed = meterDimensions[meter] ?? {};
  for (const key in dimensions) {
    const value = dimensions[key];
    if (typeof value !== "string" || key.length > 64 || value.length > 64) return false;
    if (!Object.hasOwn(allowed, key) || !allowed[key]?.includes(value)) return false;
  }
  return true;
}

function isValidPoint(start: unknown, seconds: unknown, value: unknown): boolean {
  return (
    typeof start === "string" &&
    samplePatterns.start.test(start) &&
    typeof seconds === "number" &&
    Number.isFinite(seconds) &&
    seconds > 0 &&
    seconds <= 3600 &&
    typeof value === "string" &&
    samplePatterns.value.test(value)
  );
}

function isValidSeriesHead(environmentId: unknown, meter: unknown, dimensions: unknown): boolean {
  return (
    typeof environmentId === "string" &&
    samplePatterns.environmentId.test(environmentId) &&
    typeof meter === "string" &&
    Object.hasOwn(meters, meter) &&
    isValidDimensions(meter, dimensions)
  );
}

/** The number of points of a valid series, or -1. */
function validSeriesPoints(series: unknown): number {
  if (!isPlainObject(series) || !hasOnly(series, seriesKeys)) return -1;
  const { environmentId, meter, dimensions, starts, seconds, values } = series;
  if (!isValidSeriesHead(environmentId, meter, dimensions)) return -1;
  if (!Array.isArray(starts) || !Array.isArray(seconds) || !Array.isArray(values)) return -1;
  const points = starts.length;
  if (points < 1 || seconds.length !== points || values.length !== points) return -1;
  for (let i = 0; i < points; i++) if (!isValidPoint(starts[i], seconds[i], values[i])) return -1;
  return points;
}

/** Exactly what `batchSchema` accepts, checked without building zod's issue objects. */
export function isValidBatch(input: unknown): input is Batch {
  if (!isPlainObject(input) || !hasOnly(input, batchKeys) || !isValidHeader(input)) return false;
  const { series } = input;
  if (!Array.isArray(series) || series.length < 1) return false;
  let total = 0;
  for (const one of series) {
    const points = validSeriesPoints(one);
    if (points < 0) return false;
    total += points;
  }
  return total <= maxSamplesPerBatch;
}

/** Exactly what `flatBatchSchema` accepts. */
export function isValidFlatBatch(input: unknown): input is FlatBatch {
  if (!isPlainObject(input) || !hasOnly(input, flatBatchKeys) || !isValidHeader(input)) return false;
  const { samples } = input;
  if (!Array.isArray(samples) || samples.length < 1 || samples.length > maxSamplesPerBatch) return false;
  for (const sample of samples) {
    if (!isPlainObject(sample) || !hasOnly(sample, sampleKeys)) return false;
    const { environmentId, meter, start, seconds, value, dimensions } = sample;
    if (!isValidSeriesHead(environmentId, meter, dimensions) || !isValidPoint(start, seconds, value))
      return false;
  }
  return true;
}

/** A flat batch in the series form. */
export function batchOfFlat({ sequence, collectorVersion, samples }: FlatBatch): Batch {
  return { sequence, collectorVersion, series: seriesOfSamples(samples) };
}

/**
 * Validates a batch on the ingest hot path, in either wire form; a flat one comes back as series. Valid
 * batches (nearly all) take the hand-written checks, an order of magnitude cheaper than zod per sample; an
 * invalid one goes through the zod schema of its form, so its error names the field and the rule exactly as
 * the documented schema does.
 */
export function parseBatch(input: unknown): Batch {
  if (isValidBatch(input)) return input;
  if (isValidFlatBatch(input)) return batchOfFlat(input);
  if (isPlainObject(input) && "samples" in input && !("series" in input))
    return batchOfFlat(flatBatchSchema.parse(input));
  return batchSchema.parse(input);
}
