import { Dec } from "@meterplane/core";
import { z } from "zod";
import { type Rating, sumTiers, type TierBreakdown, tierEntry } from "./charge-model.ts";
import { tierRanges, tiersSchema } from "./tiers.ts";

export const graduatedProperties = z.object({ tiers: tiersSchema });
export type GraduatedProperties = z.infer<typeof graduatedProperties>;

/**
 * Each tier prices only the units inside it; a tier's flat fee is due once the quantity enters the tier
 * (rises above its lower bound), so zero usage costs nothing.
 */
export function rateGraduated(quantity: Dec, { tiers }: GraduatedProperties): Rating {
  const breakdown: TierBreakdown[] = [];
  for (const range of tierRanges(tiers)) {
    if (quantity.lte(range.from)) break;
    const top = range.upTo === null ? quantity : Dec.min(quantity, range.upTo);
    breakdown.push(tierEntry(range.from, range.upTo, top.minus(range.from), range.unitPrice, range.flatFee));
  }
  const amount = sumTiers(breakdown);
  const unitPrice = quantity.gt(0)
    ? amount.div(quantity).toDecimalPlaces(12, Dec.ROUND_HALF_UP)
    : new Dec(tiers[0]?.unitPrice ?? 0);
  return { amount, unitPrice, tiers: breakdown };
}
