import { type Batch, batchSchema, maxSamplesPerBatch, samplePatterns } from "./batch.ts";
import { meterDimensions } from "./dimensions.ts";
import { meters } from "./meters.ts";

const sampleKeys = new Set(["environmentId", "meter", "start", "seconds", "value", "dimensions"]);
const batchKeys = new Set(["sequence", "collectorVersion", "samples"]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hasOnly(object: Record<string, unknown>, keys: Set<string>): boolean {
  for (const key in object) if (!keys.has(key)) return false;
  return true;
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

function isValidSample(sample: unknown): boolean {
  if (!isPlainObject(sample) || !hasOnly(sample, sampleKeys)) return false;
  const { environmentId, meter, start, seconds, value, dimensions } = sample;
  return (
    typeof environmentId === "string" &&
    samplePatterns.environmentId.test(environmentId) &&
    typeof meter === "string" &&
    Object.hasOwn(meters, meter) &&
    typeof start === "string" &&
    samplePatterns.start.test(start) &&
    typeof seconds === "number" &&
    Number.isFinite(seconds) &&
    seconds > 0 &&
    seconds <= 3600 &&
    typeof value === "string" &&
    samplePatterns.value.test(value) &&
    isValidDimensions(meter, dimensions)
  );
}

/** Exactly what `batchSchema` accepts, checked without building zod's issue objects. */
export function isValidBatch(input: unknown): input is Batch {
  if (!isPlainObject(input) || !hasOnly(input, batchKeys)) return false;
  const { sequence, collectorVersion, samples } = input;
  if (!Number.isSafeInteger(sequence) || (sequence as number) < 0) return false;
  if (typeof collectorVersion !== "string" || !samplePatterns.collectorVersion.test(collectorVersion))
    return false;
  if (!Array.isArray(samples) || samples.length < 1 || samples.length > maxSamplesPerBatch) return false;
  for (const sample of samples) if (!isValidSample(sample)) return false;
  return true;
}

/**
 * Validates a batch on the ingest hot path. Valid batches (nearly all) take the hand-written check, an
 * order of magnitude cheaper than zod per sample; an invalid one goes through `batchSchema` so its error
 * names the field and the rule exactly as the documented schema does.
 */
export function parseBatch(input: unknown): Batch {
  if (isValidBatch(input)) return input;
  return batchSchema.parse(input);
}
