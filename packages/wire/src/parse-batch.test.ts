import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { batchSchema, flatBatchSchema, samplesOfSeries } from "./batch.ts";
import { isValidBatch, isValidFlatBatch, parseBatch } from "./parse-batch.ts";

const goodSample = {
  environmentId: "3c88f14e-ff36-4806-9f52-718a9bed3a92",
  meter: "data_throughput",
  start: "2026-11-26T10:00:00Z",
  seconds: 10,
  value: "1024",
  dimensions: { channel: "disk", direction: "read" },
};

// Each field is either a valid value or one of its likely mistakes, so most generated batches sit near the edge.
const sample = fc.record(
  {
    environmentId: fc.constantFrom(
      goodSample.environmentId,
      "not-a-uuid",
      "3C88F14E-FF36-4806-9F52-718A9BED3A92",
      7,
    ),
    meter: fc.constantFrom("cpu", "memory", "open_resources", "data_throughput", "gpu", "", null),
    start: fc.constantFrom(
      "2026-11-26T10:00:00Z",
      "2026-11-26T10:00:00.123Z",
      "2026-11-26T10:00:00+01:00",
      "2026-11-26",
      1764151200,
    ),
    seconds: fc.constantFrom(10, 0.5, 3600, 3601, 0, -1, "10"),
    value: fc.constantFrom(
      "0",
      "1.5",
      "1.123456789012",
      "1.1234567890123",
      "-1",
      "1e3",
      1.5,
      "",
      "12345678901234567890123456",
    ),
    dimensions: fc.constantFrom(
      undefined,
      {},
      { kind: "socket" },
      { channel: "disk" },
      { direction: "sent" },
      { channel: "x" },
      [],
      null,
      { ["__proto__"]: "x" },
    ),
    extra: fc.constantFrom(undefined, "surprise"),
  },
  { requiredKeys: ["environmentId", "meter", "start", "seconds", "value"] },
);

const flatBatch = fc.record(
  {
    sequence: fc.constantFrom(0, 1, 2 ** 53 - 1, 2 ** 53, -1, 1.5, "1"),
    collectorVersion: fc.constantFrom("0.1.0", "1.10.200", "1.0", "v1.0.0"),
    samples: fc.array(sample, { minLength: 0, maxLength: 3 }),
  },
  { requiredKeys: ["sequence", "collectorVersion", "samples"] },
);

// A series is built from a few generated samples (so each point field ranges over the same likely mistakes),
// then sometimes bent: a column cut short or not an array at all.
const series = fc
  .tuple(
    fc.array(sample, { minLength: 0, maxLength: 3 }),
    fc.constantFrom(undefined, "starts", "seconds", "values"),
    fc.constantFrom("shorten", "scalar"),
  )
  .map(([samples, bent, how]) => {
    const first = samples[0] ?? goodSample;
    const series: Record<string, unknown> = {
      environmentId: first.environmentId,
      meter: first.meter,
      starts: samples.map((s) => s.start),
      seconds: samples.map((s) => s.seconds),
      values: samples.map((s) => s.value),
    };
    if ("dimensions" in first) series.dimensions = first.dimensions;
    if ("extra" in first) series.extra = first.extra;
    if (bent)
      series[bent] = how === "shorten" ? (series[bent] as unknown[]).slice(1) : "2026-11-26T10:00:00Z";
    return series;
  });

const batch = fc.record(
  {
    sequence: fc.constantFrom(0, 1, 2 ** 53 - 1, 2 ** 53, -1, 1.5, "1"),
    collectorVersion: fc.constantFrom("0.1.0", "1.10.200", "1.0", "v1.0.0"),
    series: fc.array(series, { minLength: 0, maxLength: 3 }),
    samples: fc.constant([goodSample]),
  },
  { requiredKeys: ["sequence", "collectorVersion"] },
);

const goodSeries = {
  environmentId: goodSample.environmentId,
  meter: "data_throughput",
  dimensions: goodSample.dimensions,
  starts: ["2026-11-26T10:00:00Z", "2026-11-26T10:00:10Z"],
  seconds: [10, 10],
  values: ["1024", "2048"],
};

/** The first issue of the ZodError `parse` throws: where, and what is wrong. */
function issueOf(parse: () => unknown) {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    const { path, message } = error.issues[0]!;
    return { path, message };
  }
  throw new Error("parsed without an error");
}

describe("the ingest hot path's batch check", () => {
  it.each([
    { form: "series", input: batch as fc.Arbitrary<unknown>, check: isValidBatch, schema: batchSchema },
    { form: "flat (before 0.2.0)", input: flatBatch, check: isValidFlatBatch, schema: flatBatchSchema },
  ])(
    "accepts exactly what the documented zod schema of the $form form accepts",
    ({ input, check, schema }) => {
      fc.assert(
        fc.property(input, (generated) => {
          const parsed = JSON.parse(JSON.stringify(generated));
          expect(check(parsed)).toBe(schema.safeParse(parsed).success);
        }),
        { numRuns: 3000 },
      );
    },
  );

  it("reads a flat batch as series holding the same samples, series by series", () => {
    const later = { ...goodSample, start: "2026-11-26T10:00:10Z", value: "2048" };
    const { dimensions: _, ...cpu } = { ...goodSample, meter: "cpu", value: "0.5" };
    const parsed = parseBatch({ sequence: 1, collectorVersion: "0.1.0", samples: [goodSample, cpu, later] });
    expect(parsed.series).toEqual([
      goodSeries,
      { environmentId: cpu.environmentId, meter: "cpu", starts: [cpu.start], seconds: [10], values: ["0.5"] },
    ]);
    expect(samplesOfSeries(parsed.series)).toEqual([goodSample, later, cpu]);
  });

  it("refuses more than 10,000 points over all series", () => {
    const points = 5_001;
    const long = {
      ...goodSeries,
      starts: Array(points).fill("2026-11-26T10:00:00Z"),
      seconds: Array(points).fill(10),
      values: Array(points).fill("1"),
    };
    const input = { sequence: 1, collectorVersion: "0.2.0", series: [long, long] };
    expect(isValidBatch(input)).toBe(false);
    expect(() => parseBatch(input)).toThrow(/more than 10000 points/);
    expect(isValidBatch({ ...input, series: [long] })).toBe(true);
  });

  it("names the point of a series that is wrong", () => {
    const input = {
      sequence: 1,
      collectorVersion: "0.2.0",
      series: [{ ...goodSeries, values: ["1", "-5"] }],
    };
    expect(issueOf(() => parseBatch(input))).toEqual({
      path: ["series", 0, "values", 1],
      message: "must be a non-negative decimal string with at most 12 decimals",
    });
  });

  it("reports an invalid batch with zod's message naming the field", () => {
    const input = { sequence: 1, collectorVersion: "0.1.0", samples: [{ ...goodSample, value: "-5" }] };
    expect(issueOf(() => parseBatch(input))).toEqual({
      path: ["samples", 0, "value"],
      message: "must be a non-negative decimal string with at most 12 decimals",
    });
  });

  it.each(["constructor", "__proto__", "toString"])("refuses a dimension named %s, both ways", (name) => {
    const input = JSON.parse(
      `{"sequence":1,"collectorVersion":"0.1.0","samples":[{"environmentId":"${goodSample.environmentId}","meter":"cpu","start":"2026-11-26T10:00:00Z","seconds":10,"value":"1","dimensions":{"${name}":"x"}}]}`,
    );
    expect(isValidFlatBatch(input)).toBe(false);
    expect(flatBatchSchema.safeParse(input).success).toBe(false);
    const series = { ...goodSeries, meter: "cpu", dimensions: input.samples[0].dimensions };
    const seriesInput = { sequence: 1, collectorVersion: "0.2.0", series: [series] };
    expect(isValidBatch(seriesInput)).toBe(false);
    expect(batchSchema.safeParse(seriesInput).success).toBe(false);
  });
});
