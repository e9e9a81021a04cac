import { Dec } from "@meterplane/core";
import { z } from "zod";
import { priceString } from "../money/decimal-strings.ts";
import { type Rating, tierEntry } from "./charge-model.ts";

export const perUnitProperties = z.object({ unitPrice: priceString });
export type PerUnitProperties = z.infer<typeof perUnitProperties>;

/** Every unit at the same price. */
export function ratePerUnit(quantity: Dec, { unitPrice }: PerUnitProperties): Rating {
  const price = new Dec(unitPrice);
  if (quantity.lte(0)) return { amount: new Dec(0), unitPrice: price, tiers: [] };
  const tier = tierEntry(new Dec(0), null, quantity, price);
  return { amount: tier.amount, unitPrice: price, tiers: [tier] };
}
