import { Dec } from "@meterplane/core";
import { describe, expect, it } from "vitest";
import { decimalText } from "./rollup-copy-text.ts";

describe("a decimal's COPY text", () => {
  it("is the exact value, without the fraction's trailing zeros", () => {
    expect(decimalText(125n, 1)).toBe("12.5");
    expect(decimalText(12_500_000_000_000n, 12)).toBe("12.5");
    expect(decimalText(5_000_000_000_000n, 12)).toBe("5");
    expect(decimalText(1n, 12)).toBe("0.000000000001");
    expect(decimalText(0n, 12)).toBe("0");
    expect(decimalText(0n, 0)).toBe("0");
    expect(decimalText(-125n, 2)).toBe("-1.25");
    expect(decimalText(99_999_999_999_999_999_999_999_999_999_999_999_999n, 12)).toBe(
      "99999999999999999999999999.999999999999",
    );
  });

  it("reads back as the value it stands for, at every scale", () => {
    for (let scale = 0; scale <= 25; scale++)
      for (const units of [0n, 1n, 10n, 1200n, 3_000_000_000_007n, 10n ** 30n, 123_456_789_000n]) {
        const exact = new Dec(units.toString()).div(new Dec(10).pow(scale));
        expect(new Dec(decimalText(units, scale)).eq(exact)).toBe(true);
      }
  });
});
