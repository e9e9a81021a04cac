import { dimensionKey, meters, type Sample } from "@meterplane/wire";

const scale = 12n;
const unit = 10n ** scale;

function toFixed(value: string): bigint {
  const [whole = "0", fraction = ""] = value.split(".");
  return BigInt(whole) * unit + BigInt(fraction.padEnd(Number(scale), "0"));
}

function fromFixed(value: bigint): string {
  const whole = value / unit;
  const fraction = (value % unit).toString().padStart(Number(scale), "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}

const epoch = (iso: string) => Date.parse(iso) / 1000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

/**
 * Folds samples into one per environment, meter, dimensions and UTC hour, within the wire format:
 * - counter: value = the sum; start = the earliest start; seconds = up to the latest end.
 * - gauge: seconds = the time covered (the sum of the samples' seconds: no sample of one series overlaps
 *   another), value = the time-weighted average, so value × seconds keeps the integral (GB-hours,
 *   process-hours) to 12 decimals of the average; the peak inside the group is lost.
 * Samples never cross an hour, so neither do merged ones, and hourly rollups stay exact.
 */
export function mergeSamples(samples: Sample[]): Sample[] {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const hour = Math.floor(epoch(sample.start) / 3600);
    const key = `${sample.environmentId}|${sample.meter}|${dimensionKey(sample.dimensions)}|${hour}`;
    const group = groups.get(key) ?? [];
    group.push(sample);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as Sample;
    const start = Math.min(...group.map((s) => epoch(s.start)));
    const merged: Sample = { ...first, start: iso(start) };
    if (meters[first.meter].kind === "counter") {
      merged.seconds = Math.max(...group.map((s) => epoch(s.start) + s.seconds)) - start;
      merged.value = fromFixed(group.reduce((sum, s) => sum + toFixed(s.value), 0n));
    } else {
      const seconds = group.reduce((sum, s) => sum + s.seconds, 0);
      const integral = group.reduce((sum, s) => sum + toFixed(s.value) * BigInt(s.seconds), 0n);
      // Round half up to 12 decimals.
      merged.seconds = seconds;
      merged.value = fromFixed((integral * 2n + BigInt(seconds)) / (2n * BigInt(seconds)));
    }
    return merged;
  });
}
