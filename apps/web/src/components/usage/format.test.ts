import { describe, expect, it } from "vitest";
import { axisValue, roundForDisplay } from "./format";

describe("chart figures", () => {
  it("round by magnitude and never fall into scientific notation", () => {
    expect(roundForDisplay(0)).toBe("0");
    expect(roundForDisplay(12_345.678)).toBe("12,346");
    expect(roundForDisplay(100)).toBe("100");
    expect(roundForDisplay(99.999)).toBe("100");
    expect(roundForDisplay(1.2500000000004)).toBe("1.25");
    expect(roundForDisplay(0.999)).toBe("0.999");
    expect(roundForDisplay(0.00123456)).toBe("0.00123");
    expect(roundForDisplay(0.000000015)).toBe("0.000000015");
    expect(roundForDisplay(-0.0000267)).toBe("-0.0000267");
    for (const value of [1.5e-8, 2.67e-6, 1e-12, 9.99e-4])
      expect(`${roundForDisplay(value)} ${axisValue(value)}`).not.toMatch(/e/i);
  });

  it("shorten axis ticks from a thousand", () => {
    expect(axisValue(999)).toBe("999");
    expect(axisValue(1500)).toBe("1.5K");
    expect(axisValue(3_400_000)).toBe("3.4M");
    expect(axisValue(0.0000015)).toBe("0.0000015");
  });
});
