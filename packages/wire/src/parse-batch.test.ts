import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { batchSchema } from "./batch.ts";
import { isValidBatch, parseBatch } from "./parse-batch.ts";

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

const batch = fc.record(
  {
    sequence: fc.constantFrom(0, 1, 2 ** 53 - 1, 2 ** 53, -1, 1.5, "1"),
    collectorVersion: fc.constantFrom("0.1.0", "1.10.200", "1.0", "v1.0.0"),
    samples: fc.array(sample, { minLength: 0, maxLength: 3 }),
  },
  { requiredKeys: ["sequence", "collectorVersion", "samples"] },
);

describe("the ingest hot path's batch check", () => {
  it("accepts exactly what the documented zod schema accepts", () => {
    fc.assert(
      fc.property(batch, (input) => {
        const parsed = JSON.parse(JSON.stringify(input));
        expect(isValidBatch(parsed)).toBe(batchSchema.safeParse(parsed).success);
      }),
      { numRuns: 3000 },
    );
  });

  it("reports an invalid batch with zod's message naming the field", () => {
    const input = { sequence: 1, collectorVersion: "0.1.0", samples: [{ ...goodSample, value: "-5" }] };
    expect(() => parseBatch(input)).toThrow(/non-negative decimal string/);
  });

  it.each(["constructor", "__proto__", "toString"])("refuses a dimension named %s, both ways", (name) => {
    const input = JSON.parse(
      `{"sequence":1,"collectorVersion":"0.1.0","samples":[{"environmentId":"${goodSample.environmentId}","meter":"cpu","start":"2026-11-26T10:00:00Z","seconds":10,"value":"1","dimensions":{"${name}":"x"}}]}`,
    );
    expect(isValidBatch(input)).toBe(false);
    expect(batchSchema.safeParse(input).success).toBe(false);
  });
});
