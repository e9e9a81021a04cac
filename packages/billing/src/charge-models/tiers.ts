import { Dec } from "@meterplane/core";
import { z } from "zod";
import { positiveDecimalString, priceString } from "../money/decimal-strings.ts";

const tier = z.object({
  /** Upper bound, inclusive; null on the last tier (no bound). */
  upTo: positiveDecimalString.nullable(),
  unitPrice: priceString,
  flatFee: priceString.optional(),
});

/**
 * Tiers are defined by their upper bound alone: tier i covers `(upTo[i-1], upTo[i]]`, the first starts
 * above 0 and the last (`upTo: null`) has no end. So bounds must strictly increase and only the last is null.
 */
export const tiersSchema = z
  .array(tier)
  .min(1)
  .superRefine((tiers, ctx) => {
    tiers.forEach((t, i) => {
      const isLast = i === tiers.length - 1;
      if (isLast !== (t.upTo === null)) {
        const message = isLast
          ? "the last tier must have upTo null"
          : "only the last tier may have upTo null";
        ctx.addIssue({ code: "custom", path: [i, "upTo"], message });
      }
      const previous = tiers[i - 1]?.upTo;
      if (t.upTo !== null && previous != null && new Dec(t.upTo).lte(previous)) {
        ctx.addIssue({ code: "custom", path: [i, "upTo"], message: "tier bounds must strictly increase" });
      }
    });
  });
export type Tiers = z.infer<typeof tiersSchema>;

export interface TierRange {
  from: Dec;
  upTo: Dec | null;
  unitPrice: Dec;
  flatFee: Dec;
}

/** The tiers as ranges with their lower bound made explicit. */
export function tierRanges(tiers: Tiers): TierRange[] {
  return tiers.map((t, i) => ({
    from: new Dec(tiers[i - 1]?.upTo ?? 0),
    upTo: t.upTo === null ? null : new Dec(t.upTo),
    unitPrice: new Dec(t.unitPrice),
    flatFee: new Dec(t.flatFee ?? 0),
  }));
}

/** True when the quantity lies in `(from, upTo]`: a quantity exactly on a bound stays in the lower tier. */
export function inTier(quantity: Dec, range: TierRange): boolean {
  return quantity.gt(range.from) && (range.upTo === null || quantity.lte(range.upTo));
}
