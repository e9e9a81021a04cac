import { describe, expect, it } from "vitest";
import { rollup } from "../test/factories.ts";
import { billableQuantity, type MetricDefinition } from "./billable-quantity.ts";

const hour = (h: number) => new Date(Date.UTC(2024, 2, 1, h));
const quantity = (rollups: ReturnType<typeof rollup>[], metric: MetricDefinition) =>
  billableQuantity(rollups, metric).toString();

describe("billableQuantity", () => {
  it("sum: adds counter deltas and divides by the divisor", () => {
    // (7200 + 1800) core-seconds / 3600 = 2.5 core-hours
    const rollups = [rollup({ sum: "7200" }), rollup({ environmentId: "env-b", sum: "1800" })];
    expect(quantity(rollups, { aggregation: "sum", divisor: "3600" })).toBe("2.5");
  });

  it("time_weighted: adds integrals (level × seconds)", () => {
    // 2 GB for an hour + 1 GB for an hour = 3e9 × 3600 byte-seconds / (1e9 × 3600) = 3 GB-hours
    const rollups = [
      rollup({ integral: "7200000000000" }),
      rollup({ bucketStart: hour(1), integral: "3600000000000" }),
    ];
    expect(quantity(rollups, { aggregation: "time_weighted", divisor: "3600000000000" })).toBe("3");
  });

  it("max: the highest bucket, summing environments that share the bucket", () => {
    // hour 0: 10 + 4 = 14; hour 1: 12 → 14
    const rollups = [
      rollup({ max: "10" }),
      rollup({ environmentId: "env-b", max: "4" }),
      rollup({ bucketStart: hour(1), max: "12" }),
    ];
    expect(quantity(rollups, { aggregation: "max" })).toBe("14");
  });

  it("avg: each series' level over the time it was seen, summed over series", () => {
    // env-a: (3600 × 2 + 3600 × 4) / 7200 = 3; env-b: 1800 × 1 / 1800 = 1 → 4
    const rollups = [
      rollup({ integral: "7200" }),
      rollup({ bucketStart: hour(1), integral: "14400" }),
      rollup({ environmentId: "env-b", integral: "1800", seconds: "1800" }),
    ];
    expect(quantity(rollups, { aggregation: "avg" })).toBe("4");
  });

  it("latest: the last level of each series, summed", () => {
    // env-a last seen at 01:59 with 5 (not 00:59 with 9); env-b 2 → 7
    const rollups = [
      rollup({ last: "9" }),
      rollup({ bucketStart: hour(1), last: "5", lastAt: new Date("2024-03-01T01:59:00Z") }),
      rollup({ environmentId: "env-b", last: "2" }),
    ];
    expect(quantity(rollups, { aggregation: "latest" })).toBe("7");
  });

  it("unique: distinct environments, or distinct values of a dimension", () => {
    const rollups = [
      rollup({ dimensions: { region: "eu" } }),
      rollup({ bucketStart: hour(1), dimensions: { region: "us" } }),
      rollup({ environmentId: "env-b", dimensions: { region: "eu" } }),
      rollup({ environmentId: "env-c" }),
    ];
    expect(quantity(rollups, { aggregation: "unique" })).toBe("3");
    expect(quantity(rollups, { aggregation: "unique", uniqueBy: "region" })).toBe("2");
  });

  it("filter: keeps only rollups whose dimensions contain every pair", () => {
    // only the sent/network rollup counts (a partial match or no dimensions is not enough): 5e9 / 1e9 = 5 GB
    const rollups = [
      rollup({ dimensions: { direction: "sent", channel: "network" }, sum: "5000000000" }),
      rollup({ dimensions: { direction: "received", channel: "network" }, sum: "7000000000" }),
      rollup({ dimensions: { direction: "sent" }, sum: "1000000000" }),
      rollup({ sum: "9" }),
    ];
    const filter = { direction: "sent", channel: "network" };
    expect(quantity(rollups, { aggregation: "sum", divisor: "1000000000", filter })).toBe("5");
  });

  it("keeps quantities to 12 decimals", () => {
    // 1 / 3 = 0.333333333333 (half-up at the 12th decimal)
    expect(quantity([rollup({ sum: "1" })], { aggregation: "sum", divisor: "3" })).toBe("0.333333333333");
  });

  it("is zero without rollups, whatever the aggregation", () => {
    for (const aggregation of ["sum", "max", "avg", "time_weighted", "latest", "unique"] as const) {
      expect(quantity([], { aggregation })).toBe("0");
    }
  });

  it("still accepts the positional form (aggregation, divisor)", () => {
    expect(
      billableQuantity(
        [{ sum: "7200", max: "0", last: "0", lastAt: hour(0), integral: "0", seconds: "0" }],
        "sum",
        3600,
      ).toString(),
    ).toBe("2");
  });
});
