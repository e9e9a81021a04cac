import { Dec } from "@meterplane/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decimalArb, positiveDecimalArb, risingTiersArb, tiersArb } from "../test/arbitraries.ts";
import { sumTiers } from "./charge-model.ts";
import { type ChargeModelName, rateCharge } from "./index.ts";
import { inTier, tierRanges } from "./tiers.ts";

const modelAndProperties: fc.Arbitrary<[ChargeModelName, unknown]> = fc.oneof(
  decimalArb(1000).map((unitPrice) => ["per_unit", { unitPrice }] as [ChargeModelName, unknown]),
  tiersArb.map((tiers) => ["graduated", { tiers }] as [ChargeModelName, unknown]),
  fc
    .record({ packageSize: positiveDecimalArb, packagePrice: decimalArb(1000) })
    .map((p) => ["package", p] as [ChargeModelName, unknown]),
  decimalArb(1000).map((amount) => ["flat", { amount }] as [ChargeModelName, unknown]),
);

const quantityPair = fc
  .tuple(decimalArb(), decimalArb())
  .map(([a, b]) => (new Dec(a).lte(b) ? [new Dec(a), new Dec(b)] : [new Dec(b), new Dec(a)]));

describe("every charge model", () => {
  it("never charges less for more usage (per_unit, graduated, package, flat)", () => {
    fc.assert(
      fc.property(modelAndProperties, quantityPair, ([model, properties], [less, more]) => {
        const low = rateCharge(model, less!, properties).amount;
        expect(rateCharge(model, more!, properties).amount.gte(low)).toBe(true);
      }),
    );
  });

  it("has a breakdown that sums exactly to its unrounded amount", () => {
    const anyModel = fc.oneof(
      modelAndProperties,
      tiersArb.map((tiers) => ["volume", { tiers }] as [ChargeModelName, unknown]),
    );
    fc.assert(
      fc.property(anyModel, decimalArb(), ([model, properties], quantity) => {
        const rating = rateCharge(model, new Dec(quantity), properties);
        expect(sumTiers(rating.tiers).eq(rating.amount)).toBe(true);
      }),
    );
  });
});

describe("volume", () => {
  it("never charges less for more usage within one tier, nor across tiers whose prices rise", () => {
    fc.assert(
      fc.property(tiersArb, quantityPair, (tiers, [less, more]) => {
        const sameTier = tierRanges(tiers).some((r) => inTier(less!, r) && inTier(more!, r));
        fc.pre(sameTier);
        expect(
          rateCharge("volume", more!, { tiers }).amount.gte(rateCharge("volume", less!, { tiers }).amount),
        ).toBe(true);
      }),
    );
    fc.assert(
      fc.property(risingTiersArb, quantityPair, (tiers, [less, more]) => {
        expect(
          rateCharge("volume", more!, { tiers }).amount.gte(rateCharge("volume", less!, { tiers }).amount),
        ).toBe(true);
      }),
    );
  });

  it("can charge less past a bound when prices fall, by design", () => {
    // 5 × 7 = 35 but 6 × 5 = 30: the all-units discount of volume pricing
    const tiers = [
      { upTo: "5", unitPrice: "7" },
      { upTo: null, unitPrice: "5" },
    ];
    expect(
      rateCharge("volume", new Dec(6), { tiers }).amount.lt(
        rateCharge("volume", new Dec(5), { tiers }).amount,
      ),
    ).toBe(true);
  });
});
