import { Dec } from "@meterplane/core";
import { z } from "zod";
import type { Rating } from "./charge-model.ts";
import { tierEntry } from "./charge-model.ts";
import { inTier, tierRanges, tiersSchema } from "./tiers.ts";

export const volumeProperties = z.object({ tiers: tiersSchema });
export type VolumeProperties = z.infer<typeof volumeProperties>;

/**
 * The whole quantity is priced at the unit price (plus the flat fee) of the one tier it falls in. Unlike
 * graduated pricing this is not monotonic: with falling prices, one unit past a bound can cost less.
 */
export function rateVolume(quantity: Dec, { tiers }: VolumeProperties): Rating {
  const ranges = tierRanges(tiers);
  const range = ranges.find((r) => inTier(quantity, r));
  if (!range) return { amount: new Dec(0), unitPrice: ranges[0]?.unitPrice ?? new Dec(0), tiers: [] };
  const tier = tierEntry(range.from, range.upTo, quantity, range.unitPrice, range.flatFee);
  return { amount: tier.amount, unitPrice: range.unitPrice, tiers: [tier] };
}
