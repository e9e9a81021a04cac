import { dimensionKey, type Sample } from "@meterplane/wire";
import { addScaled, type ScaledDecimal, scaledOfNumber } from "./scaled-decimal.ts";

/**
 * One rollup bucket's measures over some samples. Values are exact integers of units at `valueScale`
 * decimal places (a sample value has at most 12); `integral` and `seconds` are exact at their own scale.
 */
export interface Rollup {
  tenantId: string;
  environmentId: string;
  meter: string;
  dimensionKey: string;
  dimensions: Record<string, string>;
  /** Start of the hour or UTC day, epoch ms. */
  bucketStart: number;
  sum: bigint;
  count: number;
  min: bigint;
  max: bigint;
  /** The value of the latest-starting sample, and its start (epoch ms). */
  last: bigint;
  lastAt: number;
  /** Σ value × seconds: the time-weighted integral of a gauge. */
  integral: ScaledDecimal;
  seconds: ScaledDecimal;
}

export const valueScale = 12;
const zeros = "0".repeat(valueScale);
const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** A wire value (`^\d+(\.\d{1,12})?$`, checked at ingest) as units at `valueScale`. */
function valueUnits(value: string): bigint {
  const point = value.indexOf(".");
  if (point < 0) return BigInt(value + zeros);
  const fraction = value.slice(point + 1);
  return BigInt(value.slice(0, point) + fraction + zeros.slice(fraction.length));
}

function fold(into: Rollup, other: Rollup): void {
  into.sum += other.sum;
  into.count += other.count;
  if (other.min < into.min) into.min = other.min;
  if (other.max > into.max) into.max = other.max;
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
 * dimensions and bucket; exact throughout. `tenantOf` maps each sample's environment to its tenant.
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
      if (!Number.isFinite(start)) throw new Error(`a stored sample starts at "${sample.start}"`);
      starts.set(sample.start, start);
    }
    let seconds = durations.get(sample.seconds);
    if (!seconds) {
      seconds = scaledOfNumber(sample.seconds);
      durations.set(sample.seconds, seconds);
    }
    const value = valueUnits(sample.value);
    const integral = { units: value * seconds.units, scale: valueScale + seconds.scale };
    const dimensions = sample.dimensions ? dimensionKey(sample.dimensions) : "";
    const bucketStart = start - (start % hourMs);
    // An environment has one tenant, so it stands for both in the key.
    const key = `${sample.environmentId}|${sample.meter}|${dimensions}|${bucketStart}`;
    const rollup = hourly.get(key);
    if (!rollup) {
      hourly.set(key, {
        tenantId: tenantOf(sample.environmentId),
        environmentId: sample.environmentId,
        meter: sample.meter,
        dimensionKey: dimensions,
        dimensions: sample.dimensions ?? {},
        bucketStart,
        sum: value,
        count: 1,
        min: value,
        max: value,
        last: value,
        lastAt: start,
        integral,
        seconds,
      });
      continue;
    }
    rollup.sum += value;
    rollup.count += 1;
    if (value < rollup.min) rollup.min = value;
    if (value > rollup.max) rollup.max = value;
    if (start >= rollup.lastAt) {
      rollup.last = value;
      rollup.lastAt = start;
    }
    rollup.integral =
      rollup.integral.scale === integral.scale
        ? { units: rollup.integral.units + integral.units, scale: integral.scale }
        : addScaled(rollup.integral, integral);
    rollup.seconds = addScaled(rollup.seconds, seconds);
  }
  const daily = new Map<string, Rollup>();
  for (const hour of hourly.values()) {
    const bucketStart = hour.bucketStart - (hour.bucketStart % dayMs);
    const key = `${hour.environmentId}|${hour.meter}|${hour.dimensionKey}|${bucketStart}`;
    const day = daily.get(key);
    if (day) fold(day, hour);
    else daily.set(key, { ...hour, bucketStart });
  }
  return { hourly: [...hourly.values()], daily: [...daily.values()] };
}
