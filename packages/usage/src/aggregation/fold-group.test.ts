import { type Sample, seriesOfSamples, storedBatchBody } from "@meterplane/wire";
import { describe, expect, it } from "vitest";
import { foldDays, foldStoredBatches } from "./fold-group.ts";
import { mergeRollups, type Rollup, rollUpSeries } from "./roll-up-samples.ts";

const environments = Array.from(
  { length: 10 },
  (_, e) => `00000000-0000-4000-8000-${String(e).padStart(12, "0")}`,
);
const tenantOf = () => "tenant";
// Two ticks of a host a batch, across an hour's end and a day's end.
const base = Date.UTC(2026, 11, 4, 23, 59, 50);

function hostBatch(sequence: number): Sample[] {
  const start = new Date(base + (sequence % 2) * 10_000).toISOString();
  return environments.flatMap((environmentId, e) =>
    (["cpu", "memory", "processes"] as const).map((meter, i) => ({
      environmentId,
      meter,
      start,
      seconds: 10,
      value: `${(sequence * 31 + e * 7 + i) % 1000}.${sequence % 7}`,
    })),
  );
}

/** Rollups' keys and measures, without what the fold keeps for itself, in key order. */
const measures = (rollups: Rollup[]) =>
  rollups
    .map((r) => [
      r.seriesKey,
      r.bucketStart,
      r.sum,
      r.count,
      r.min,
      r.max,
      r.last,
      r.lastAt,
      r.integral,
      r.seconds,
    ])
    .sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));

describe("folding a group's stored batches", () => {
  it("gives the hours and days of folding their samples at once, and lets the event loop turn meanwhile", async () => {
    const batches = Array.from({ length: 500 }, (_, i) => hostBatch(i));
    const bodies = batches.map((samples, i) =>
      storedBatchBody({ sequence: i, collectorVersion: "0.2.0", series: seriesOfSamples(samples) }),
    );
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    const { samples, hourly } = await foldStoredBatches(bodies, tenantOf);
    const daily = await foldDays(hourly);
    clearInterval(ticker);
    expect(turns).toBeGreaterThan(0);
    expect(samples).toBe(500 * 30);
    const atOnce = mergeRollups(rollUpSeries(seriesOfSamples(batches.flat()), tenantOf));
    expect(measures(hourly)).toEqual(measures(atOnce.hourly));
    expect(measures(daily)).toEqual(measures(atOnce.daily));
    expect(new Set(daily.map((d) => d.bucketStart)).size).toBe(2);
  });
});
