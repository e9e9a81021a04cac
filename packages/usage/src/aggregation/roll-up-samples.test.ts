import { Dec } from "@meterplane/core";
import { type Sample, seriesOfSamples } from "@meterplane/wire";
import { describe, expect, it } from "vitest";
import { mergeRollups, type Rollup, rollUpSeries, valueScale } from "./roll-up-samples.ts";
import { scaledText } from "./scaled-decimal.ts";

const environments = { a: "00000000-0000-4000-8000-00000000000a", b: "00000000-0000-4000-8000-00000000000b" };
const tenantOf = (environmentId: string) => `tenant-of-${environmentId}`;
const sample = (overrides: Partial<Sample>): Sample => ({
  environmentId: environments.a,
  meter: "memory",
  start: "2026-11-26T10:00:00.000Z",
  seconds: 10,
  value: "1",
  ...overrides,
});
/** Rolls samples up as the worker does a stored batch: grouped into series first. */
const rollUp = (samples: Iterable<Sample>) => rollUpSeries(seriesOfSamples(samples), tenantOf);
const text = (r: Rollup) => ({
  sum: scaledText({ units: r.sum, scale: valueScale }),
  count: r.count,
  min: scaledText({ units: r.min, scale: valueScale }),
  max: scaledText({ units: r.max, scale: valueScale }),
  last: scaledText({ units: r.last, scale: valueScale }),
  integral: scaledText(r.integral),
  seconds: scaledText(r.seconds),
});

/** A small deterministic generator: the same cases on every run. */
function* randomSamples(count: number, seed: number): Generator<Sample> {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
  const durations = [10, 0.1, 1e-7, 3600, 2.5, 1 / 3];
  const values = ["0", "1", "0.000000000001", "99999999999999999999.999999999999", "12.5", "7"];
  for (let i = 0; i < count; i++)
    yield sample({
      environmentId: next(2) ? environments.a : environments.b,
      meter: next(2) ? "cpu" : "memory",
      start: new Date(Date.UTC(2026, 10, 25, 22) + next(4 * 3600) * 1000).toISOString(),
      seconds: durations[next(durations.length)]!,
      value: next(3)
        ? `${next(1_000_000)}.${String(next(1_000_000)).padStart(6, "0")}`
        : values[next(values.length)]!,
    });
}

describe("rolling samples up", () => {
  it("sums, counts and keeps the extremes and the latest value of each hour, exactly", () => {
    const { hourly, daily } = mergeRollups(
      rollUp([
        sample({ value: "0.1", start: "2026-11-26T10:00:00Z" }),
        sample({ value: "0.2", start: "2026-11-26T10:59:59.999Z" }),
        sample({ value: "0.05", start: "2026-11-26T10:30:00Z" }),
        sample({ value: "5", start: "2026-11-26T11:00:00Z", seconds: 0.1 }),
      ]),
    );
    expect(hourly.map((r) => [new Date(r.bucketStart).toISOString(), text(r)])).toEqual([
      [
        "2026-11-26T10:00:00.000Z",
        {
          sum: "0.350000000000",
          count: 3,
          min: "0.050000000000",
          max: "0.200000000000",
          last: "0.200000000000",
          integral: "3.500000000000",
          seconds: "30",
        },
      ],
      [
        "2026-11-26T11:00:00.000Z",
        {
          sum: "5.000000000000",
          count: 1,
          min: "5.000000000000",
          max: "5.000000000000",
          last: "5.000000000000",
          integral: "0.5000000000000",
          seconds: "0.1",
        },
      ],
    ]);
    expect(daily.map(text)).toEqual([
      {
        sum: "5.350000000000",
        count: 4,
        min: "0.050000000000",
        max: "5.000000000000",
        last: "5.000000000000",
        integral: "4.0000000000000",
        seconds: "30.1",
      },
    ]);
    expect(daily[0]).toMatchObject({
      tenantId: tenantOf(environments.a),
      bucketStart: Date.UTC(2026, 10, 26),
    });
  });

  it("keeps each dimension value apart", () => {
    const hourly = rollUp([
      sample({ meter: "data_throughput", dimensions: { direction: "sent", channel: "network" } }),
      sample({ meter: "data_throughput", dimensions: { channel: "network", direction: "sent" } }),
      sample({ meter: "data_throughput", dimensions: { channel: "network", direction: "received" } }),
    ]);
    expect(hourly.map((r) => [r.dimensionKey, r.count])).toEqual([
      ["channel=network,direction=sent", 2],
      ["channel=network,direction=received", 1],
    ]);
  });

  it("agree with decimal arithmetic on every measure, in hours and in days, however the samples are split", () => {
    const samples = [...randomSamples(3000, 7)];
    const batches = Array.from({ length: 30 }, (_, i) => samples.slice(i * 100, (i + 1) * 100));
    const { hourly, daily } = mergeRollups(batches.flatMap((batch) => rollUp(batch)));
    for (const [rollups, bucketMs] of [
      [hourly, 3_600_000],
      [daily, 86_400_000],
    ] as const) {
      expect(rollups.reduce((n, r) => n + r.count, 0)).toBe(samples.length);
      for (const rollup of rollups) {
        const mine = samples.filter(
          (s) =>
            s.environmentId === rollup.environmentId &&
            s.meter === rollup.meter &&
            Math.floor(Date.parse(s.start) / bucketMs) * bucketMs === rollup.bucketStart,
        );
        const values = mine.map((s) => new Dec(s.value));
        const exact = (d: Dec) => d.toFixed(12);
        const lastAt = Math.max(...mine.map((s) => Date.parse(s.start)));
        const valuesAtLast = mine
          .filter((s) => Date.parse(s.start) === lastAt)
          .map((s) => exact(new Dec(s.value)));
        const got = text(rollup);
        expect({
          sum: exact(new Dec(got.sum)),
          count: got.count,
          min: exact(new Dec(got.min)),
          max: exact(new Dec(got.max)),
          integral: new Dec(got.integral).toFixed(40),
          seconds: new Dec(got.seconds).toFixed(40),
        }).toEqual({
          sum: exact(values.reduce((a, b) => a.plus(b), new Dec(0))),
          count: mine.length,
          min: exact(Dec.min(...values)),
          max: exact(Dec.max(...values)),
          integral: mine
            .reduce((a, s) => a.plus(new Dec(s.value).times(String(s.seconds))), new Dec(0))
            .toFixed(40),
          seconds: mine.reduce((a, s) => a.plus(String(s.seconds)), new Dec(0)).toFixed(40),
        });
        expect(rollup.lastAt).toBe(lastAt);
        expect(valuesAtLast).toContain(exact(new Dec(got.last)));
      }
    }
  });
});
