import { describe, expect, it } from "vitest";
import { resolveUsageRange } from "../queries/resolve-usage-range.ts";
import { bucketStarts } from "./bucket-starts.ts";
import { displayUnit } from "./meter-units.ts";
import { usageCharts } from "./usage-charts.ts";

const now = new Date("2026-12-05T10:20:00Z");

describe("a usage page's range", () => {
  it("comes from a preset, with a bucket that grows with it", () => {
    const of = (range: string) => resolveUsageRange({ range }, now, "7d");
    expect(of("24h")).toMatchObject({
      from: new Date("2026-12-04T11:00:00Z"),
      to: new Date("2026-12-05T11:00:00Z"),
      bucket: "hour",
    });
    expect(of("7d")).toMatchObject({ bucket: "hour" });
    expect(of("30d")).toMatchObject({ bucket: "6 hours" });
    expect(of("period")).toMatchObject({
      from: new Date("2026-12-01T00:00:00Z"),
      to: new Date("2027-01-01T00:00:00Z"),
      bucket: "6 hours",
    });
    expect(of("nonsense")).toMatchObject({ preset: "7d" });
  });

  it("takes custom days, both inclusive, and explains what it refuses", () => {
    expect(resolveUsageRange({ from: "2026-01-01", to: "2026-12-31" }, now, "7d")).toMatchObject({
      preset: "custom",
      from: new Date("2026-01-01T00:00:00Z"),
      to: new Date("2027-01-01T00:00:00Z"),
      bucket: "week",
    });
    expect(resolveUsageRange({ from: "1976-12-05", to: "2026-12-05" }, now, "7d")).toEqual({
      error: expect.stringContaining("at most 3660 days"),
    });
    expect(resolveUsageRange({ range: "custom", from: "2026-02-01", to: "9999-99-99" }, now, "7d")).toEqual({
      error: "to: “9999-99-99” is not a date (YYYY-MM-DD)",
    });
    expect(resolveUsageRange({ from: "2026-02-30", to: "2026-03-02" }, now, "7d")).toMatchObject({
      error: expect.stringContaining("not a date"),
    });
    expect(resolveUsageRange({ from: "2026-03-02", to: "2026-03-01" }, now, "7d")).toMatchObject({
      error: expect.stringContaining("before"),
    });
  });
});

describe("usage charts", () => {
  it("put every row in its bucket in one pass, leave quiet buckets empty, and convert to display units", () => {
    const from = new Date("2026-12-05T00:00:00Z");
    const to = new Date("2026-12-05T03:00:00Z");
    const { buckets, charts } = usageCharts({
      rows: [
        { meter: "cpu", group: "a", bucketStart: "2026-12-05T00:00:00.000Z", sum: "7200", level: "0" },
        { meter: "cpu", group: "a", bucketStart: "2026-12-05T02:00:00.000Z", sum: "1800", level: "0" },
        { meter: "cpu", group: null, bucketStart: "2026-12-05T02:00:00.000Z", sum: "3600", level: "0" },
        {
          meter: "memory",
          group: "",
          bucketStart: "2026-12-05T01:00:00.000Z",
          sum: "9",
          level: "2147483648",
        },
      ],
      from,
      to,
      bucket: "hour",
      meterNames: ["cpu", "memory", "transactions"],
    });
    expect(buckets).toEqual(bucketStarts(from, to, "hour"));
    const [cpu, memory, transactions] = charts;
    expect(cpu).toMatchObject({
      unit: "core-hours",
      series: [
        { group: "a", values: [2, null, 0.5] },
        { group: null, values: [null, null, 1] },
      ],
      figure: 3.5,
    });
    expect(memory).toMatchObject({ unit: "GiB", series: [{ values: [null, 2, null] }], figure: 2 });
    expect(transactions).toMatchObject({ series: [], figure: null });
  });

  it("read tiny traffic in bytes or kilobytes, not in a float of gigabytes", () => {
    const from = new Date("2026-12-05T00:00:00Z");
    const to = new Date("2026-12-05T02:00:00Z");
    const { charts } = usageCharts({
      rows: [
        {
          meter: "data_throughput",
          group: "",
          bucketStart: "2026-12-05T00:00:00.000Z",
          sum: "2670",
          level: "0",
        },
        {
          meter: "data_throughput",
          group: "",
          bucketStart: "2026-12-05T01:00:00.000Z",
          sum: "15",
          level: "0",
        },
        { meter: "cpu", group: "", bucketStart: "2026-12-05T00:00:00.000Z", sum: "1.5", level: "0" },
      ],
      from,
      to,
      bucket: "hour",
      meterNames: ["data_throughput", "cpu"],
    });
    expect(charts[0]).toMatchObject({ unit: "KB", series: [{ values: [2.67, 0.015] }] });
    expect(charts[0]?.figure).toBeCloseTo(2.685);
    expect(charts[1]).toMatchObject({ unit: "core-seconds", series: [{ values: [1.5, null] }], figure: 1.5 });
  });

  it("pick the largest unit a magnitude reaches, at the edges of each", () => {
    const unit = (meter: Parameters<typeof displayUnit>[0], value: number) => displayUnit(meter, value).unit;
    expect(unit("data_throughput", 0)).toBe("B");
    expect(unit("data_throughput", 999)).toBe("B");
    expect(unit("data_throughput", 1000)).toBe("KB");
    expect(unit("data_throughput", 999_999)).toBe("KB");
    expect(unit("data_throughput", 1e6)).toBe("MB");
    expect(unit("data_throughput", 2.5e9)).toBe("GB");
    expect(unit("data_throughput", 3e12)).toBe("TB");
    expect(unit("data_throughput", 1e21)).toBe("PB");
    expect(unit("data_throughput", -2500)).toBe("KB");
    expect(unit("memory", 1023)).toBe("B");
    expect(unit("memory", 1024)).toBe("KiB");
    expect(unit("memory", 1.5 * 1024 ** 3)).toBe("GiB");
    expect(unit("cpu", 35.9)).toBe("core-seconds");
    expect(unit("cpu", 36)).toBe("core-hours");
    expect(unit("transactions", 1e-9)).toBe("transactions");
  });

  it("start weeks on Monday and months on the first, as the rollup reader does", () => {
    expect(bucketStarts(new Date("2026-12-05T00:00:00Z"), new Date("2026-12-15T00:00:00Z"), "week")).toEqual([
      Date.UTC(2026, 10, 30),
      Date.UTC(2026, 11, 7),
      Date.UTC(2026, 11, 14),
    ]);
    expect(bucketStarts(new Date("2026-11-15T00:00:00Z"), new Date("2027-01-02T00:00:00Z"), "month")).toEqual(
      [Date.UTC(2026, 10, 1), Date.UTC(2026, 11, 1), Date.UTC(2027, 0, 1)],
    );
  });
});
