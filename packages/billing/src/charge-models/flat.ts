import { Dec } from "@meterplane/core";
import { z } from "zod";
import { priceString } from "../money/decimal-strings.ts";
import { type Rating, tierEntry } from "./charge-model.ts";

export const flatProperties = z.object({ amount: priceString });
export type FlatProperties = z.infer<typeof flatProperties>;

/** A fixed fee per period, whatever the usage; proration for partial periods is the invoice's job. */
export function rateFlat(_quantity: Dec, { amount }: FlatProperties): Rating {
  const fee = new Dec(amount);
  const tier = tierEntry(new Dec(0), null, new Dec(0), new Dec(0), fee);
  return { amount: fee, unitPrice: fee, tiers: [tier] };
}
