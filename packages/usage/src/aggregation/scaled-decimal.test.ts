import { describe, expect, it } from "vitest";
import { parseScaled, unitsAtScale } from "./scaled-decimal.ts";

describe("scaled decimals", () => {
  it("round to fewer places half away from zero, as a numeric column does", () => {
    expect(unitsAtScale(parseScaled("1.25"), 1)).toBe(13n);
    expect(unitsAtScale(parseScaled("1.249"), 1)).toBe(12n);
    expect(unitsAtScale({ units: -125n, scale: 2 }, 1)).toBe(-13n);
    expect(unitsAtScale({ units: -124n, scale: 2 }, 1)).toBe(-12n);
    expect(unitsAtScale(parseScaled("0.0000000000005"), 12)).toBe(1n);
  });

  it("keep a value with as many places or fewer exact", () => {
    expect(unitsAtScale(parseScaled("12.5"), 12)).toBe(12_500_000_000_000n);
    expect(unitsAtScale(parseScaled("7"), 0)).toBe(7n);
  });
});
