import { describe, expect, it } from "vitest";
import { createAggregationLag } from "./aggregation-lag.ts";

describe("aggregation lag", () => {
  it("is behind while a batch in hand was stored longer ago than the bound", () => {
    const lag = createAggregationLag({ behindMs: 30_000 });
    let oldest: number | undefined = 65_000;
    lag.track(() => oldest);
    expect(lag.behind(95_000)).toBe(false);
    expect(lag.behind(95_001)).toBe(true);
    oldest = 90_000;
    expect(lag.behind(100_000)).toBe(false);
  });

  it("is not behind with nothing in hand, however long ago the last batch came", () => {
    const lag = createAggregationLag({ behindMs: 30_000 });
    expect(lag.behind(1_000_000)).toBe(false);
    lag.track(() => undefined);
    expect(lag.behind(1_000_000)).toBe(false);
  });
});
