import { AppError, Dec } from "@meterplane/core";
import { describe, expect, it } from "vitest";
import { rateCharge } from "./index.ts";

const q = (value: string | number) => new Dec(value);
const amountOf = (model: Parameters<typeof rateCharge>[0], quantity: string, properties: unknown) =>
  rateCharge(model, q(quantity), properties).amount.toString();

describe("per_unit", () => {
  it("prices every unit the same", () => {
    // 12.5 × 0.05 = 0.625, unrounded
    expect(amountOf("per_unit", "12.5", { unitPrice: "0.05" })).toBe("0.625");
  });

  it("keeps unit prices with 12 decimals exact", () => {
    // 1 000 000 × 0.000000000001 = 0.000001
    expect(amountOf("per_unit", "1000000", { unitPrice: "0.000000000001" })).toBe("0.000001");
  });

  it("costs nothing at zero usage", () => {
    expect(rateCharge("per_unit", q(0), { unitPrice: "0.05" })).toMatchObject({ tiers: [] });
    expect(amountOf("per_unit", "0", { unitPrice: "0.05" })).toBe("0");
  });
});

describe("graduated", () => {
  const tiers = [
    { upTo: "100", unitPrice: "1" },
    { upTo: "1000", unitPrice: "0.5", flatFee: "10" },
    { upTo: null, unitPrice: "0.1" },
  ];

  it("keeps a quantity exactly on a bound in the lower tier", () => {
    // 100 × 1 = 100; the second tier (and its flat fee) starts above 100
    expect(amountOf("graduated", "100", { tiers })).toBe("100");
  });

  it("enters the next tier just above a bound, fractions included", () => {
    // 100 × 1 + 0.5 × 0.5 + 10 = 110.25
    expect(amountOf("graduated", "100.5", { tiers })).toBe("110.25");
  });

  it("prices each tier's slice at that tier's price", () => {
    // 100 × 1 + (900 × 0.5 + 10) + 500 × 0.1 = 100 + 460 + 50 = 610
    const rating = rateCharge("graduated", q(1500), { tiers });
    expect(rating.amount.toString()).toBe("610");
    expect(
      rating.tiers.map((t) => [t.from.toString(), t.upTo?.toString() ?? null, t.quantity.toString()]),
    ).toEqual([
      ["0", "100", "100"],
      ["100", "1000", "900"],
      ["1000", null, "500"],
    ]);
    // average unit price: 610 / 1500 = 0.40666… to 12 decimals
    expect(rating.unitPrice.toString()).toBe("0.406666666667");
  });

  it("costs nothing at zero usage, flat fees included", () => {
    expect(amountOf("graduated", "0", { tiers: [{ upTo: null, unitPrice: "1", flatFee: "5" }] })).toBe("0");
  });
});

describe("volume", () => {
  const tiers = [
    { upTo: "5", unitPrice: "7" },
    { upTo: null, unitPrice: "5", flatFee: "2" },
  ];

  it("prices all units in the tier the quantity falls in; a bound stays in the lower tier", () => {
    // 5 × 7 = 35
    expect(amountOf("volume", "5", { tiers })).toBe("35");
  });

  it("moves a fractional quantity above the bound into the next tier", () => {
    // 5.5 × 5 + 2 = 29.5 (cheaper than 5 units: volume pricing has cliffs)
    expect(amountOf("volume", "5.5", { tiers })).toBe("29.5");
  });

  it("costs nothing at zero usage", () => {
    expect(amountOf("volume", "0", { tiers })).toBe("0");
  });
});

describe("package", () => {
  const properties = { packageSize: "1000", packagePrice: "5" };

  it("rounds a started package up to a whole one", () => {
    // ceil(2001 / 1000) = 3 packages × 5 = 15
    expect(amountOf("package", "2001", properties)).toBe("15");
    // ceil(0.5 / 1000) = 1 package × 5 = 5
    expect(amountOf("package", "0.5", properties)).toBe("5");
  });

  it("charges exactly full packages on the boundary", () => {
    expect(amountOf("package", "1000", properties)).toBe("5");
  });

  it("costs nothing at zero usage", () => {
    expect(amountOf("package", "0", properties)).toBe("0");
  });
});

describe("flat", () => {
  it("charges its amount whatever the quantity", () => {
    expect(amountOf("flat", "0", { amount: "49" })).toBe("49");
    expect(amountOf("flat", "1000", { amount: "49" })).toBe("49");
  });
});

describe("properties validation", () => {
  const invalid = (model: Parameters<typeof rateCharge>[0], properties: unknown) => () =>
    rateCharge(model, q(1), properties);

  it.each([
    [
      "bounds not increasing",
      {
        tiers: [
          { upTo: "10", unitPrice: "1" },
          { upTo: "10", unitPrice: "1" },
          { upTo: null, unitPrice: "1" },
        ],
      },
    ],
    ["last tier bounded", { tiers: [{ upTo: "10", unitPrice: "1" }] }],
    [
      "unbounded tier before the last",
      {
        tiers: [
          { upTo: null, unitPrice: "1" },
          { upTo: null, unitPrice: "1" },
        ],
      },
    ],
    ["no tiers", { tiers: [] }],
    ["price with 13 decimals", { tiers: [{ upTo: null, unitPrice: "0.0000000000001" }] }],
    ["price as a number", { tiers: [{ upTo: null, unitPrice: 0.1 }] }],
  ])("rejects tiers with %s", (_name, properties) => {
    expect(invalid("graduated", properties)).toThrow(AppError);
    expect(invalid("volume", properties)).toThrow(/invalid charge properties/);
  });

  it("rejects a zero package size and a negative price", () => {
    expect(invalid("package", { packageSize: "0", packagePrice: "5" })).toThrow(/packageSize/);
    expect(invalid("per_unit", { unitPrice: "-1" })).toThrow(/unitPrice/);
  });
});
