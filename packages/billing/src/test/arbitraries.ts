import { Dec } from "@meterplane/core";
import fc from "fast-check";

/** A non-negative decimal string with up to `decimals` decimals, built from integers (never floats). */
export function decimalArb(maxUnits = 1_000_000_000, decimals = 12): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 0, max: maxUnits }), fc.integer({ min: 0, max: decimals }))
    .map(([units, scale]) => new Dec(units).div(new Dec(10).pow(scale)).toString());
}

export const positiveDecimalArb = decimalArb(1_000_000, 6).filter((v) => new Dec(v).gt(0));

/** Valid tiers: strictly increasing bounds built from positive steps, the last unbounded. */
export const tiersArb = fc
  .array(
    fc.record({
      step: positiveDecimalArb,
      unitPrice: decimalArb(1000),
      flatFee: fc.option(decimalArb(1000), { nil: undefined }),
    }),
    {
      minLength: 1,
      maxLength: 5,
    },
  )
  .map((rows) => {
    let bound = new Dec(0);
    return rows.map(({ step, unitPrice, flatFee }, i) => {
      bound = bound.plus(step);
      const upTo = i === rows.length - 1 ? null : bound.toString();
      return flatFee === undefined ? { upTo, unitPrice } : { upTo, unitPrice, flatFee };
    });
  });

/** Tiers whose unit prices and flat fees never fall from one tier to the next. */
export const risingTiersArb = tiersArb.map((tiers) => {
  let price = new Dec(0);
  let fee = new Dec(0);
  return tiers.map((t) => {
    price = Dec.max(price, t.unitPrice);
    fee = Dec.max(fee, t.flatFee ?? 0);
    return { upTo: t.upTo, unitPrice: price.toString(), flatFee: fee.toString() };
  });
});
