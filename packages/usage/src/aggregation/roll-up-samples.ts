import { dimensionKey, type Sample } from "@meterplane/wire";
import {
  addScaled,
  compareScaled,
  multiplyScaled,
  parseScaled,
  type ScaledDecimal,
  scaledOfNumber,
} from "./scaled-decimal.ts";

/** One rollup bucket's measures over some samples; merging two of the same key is their union. */
export interface Rollup {
  tenantId: string;
  environmentId: string;
  meter: string;
  dimensionKey: string;
  dimensions: Record<string, string>;
  /** Start of the hour or UTC day, epoch ms. */
  bucketStart: number;
  sum: ScaledDecimal;
  count: number;
  min: ScaledDecimal;
  max: ScaledDecimal;
  /** The value of the latest-starting sample, and its start (epoch ms). */
  last: ScaledDecimal;
  lastAt: number;
  /** Σ value × seconds: the time-weighted integral of a gauge. */
  integral: ScaledDecimal;
  seconds: ScaledDecimal;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

const keyOf = (r: Pick<Rollup, "tenantId" | "environmentId" | "meter" | "dimensionKey" | "bucketStart">) =>
  `${r.tenantId}|${r.environmentId}|${r.meter}|${r.dimensionKey}|${r.bucketStart}`;

function merge(into: Rollup, other: Rollup): void {
  into.sum = addScaled(into.sum, other.sum);
  into.count += other.count;
  if (compareScaled(other.min, into.min) < 0) into.min = other.min;
  if (compareScaled(other.max, into.max) > 0) into.max = other.max;
  // Ties keep the later arrival, as the rollup upsert does.
  if (other.lastAt >= into.lastAt) {
    into.last = other.last;
    into.lastAt = other.lastAt;
  }
  into.integral = addScaled(into.integral, other.integral);
  into.seconds = addScaled(into.seconds, other.seconds);
}

/**
 * Folds samples into hourly rollups and those into daily ones, keyed by tenant, environment, meter,
 * dimensions and bucket. Exact: values are decimal strings and stay exact integers of units throughout.
 * `tenantOf` maps each sample's environment to its tenant.
 */
export function rollUpSamples(
  samples: Iterable<Sample>,
  tenantOf: (environmentId: string) => string,
): { hourly: Rollup[]; daily: Rollup[] } {
  const hourly = new Map<string, Rollup>();
  // A batch repeats a few starts and durations many times: read each once.
  const starts = new Map<string, number>();
  const durations = new Map<number, ScaledDecimal>();
  for (const sample of samples) {
    let start = starts.get(sample.start);
    if (start === undefined) {
      start = Date.parse(sample.start);
      starts.set(sample.start, start);
    }
    let seconds = durations.get(sample.seconds);
    if (!seconds) {
      seconds = scaledOfNumber(sample.seconds);
      durations.set(sample.seconds, seconds);
    }
    const value = parseScaled(sample.value);
    const one: Rollup = {
      tenantId: tenantOf(sample.environmentId),
      environmentId: sample.environmentId,
      meter: sample.meter,
      dimensionKey: dimensionKey(sample.dimensions),
      dimensions: sample.dimensions ?? {},
      bucketStart: start - (start % hourMs),
      sum: value,
      count: 1,
      min: value,
      max: value,
      last: value,
      lastAt: start,
      integral: multiplyScaled(value, seconds),
      seconds,
    };
    const key = keyOf(one);
    const existing = hourly.get(key);
    if (existing) merge(existing, one);
    else hourly.set(key, one);
  }
  const daily = new Map<string, Rollup>();
  for (const hour of hourly.values()) {
    const day = { ...hour, bucketStart: hour.bucketStart - (hour.bucketStart % dayMs) };
    const key = keyOf(day);
    const existing = daily.get(key);
    if (existing) merge(existing, day);
    else daily.set(key, day);
  }
  return { hourly: [...hourly.values()], daily: [...daily.values()] };
}
