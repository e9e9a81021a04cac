import { Dec } from "@meterplane/core";
import { z } from "zod";
import { positiveDecimalString, priceString } from "../money/decimal-strings.ts";
import { type Rating, tierEntry } from "./charge-model.ts";

export const packageProperties = z.object({ packageSize: positiveDecimalString, packagePrice: priceString });
export type PackageProperties = z.infer<typeof packageProperties>;

/**
 * Units are sold in packages of `packageSize`; a started package is a whole package (2001 units in
 * packages of 1000 are 3 packages). The breakdown counts packages, at the package price.
 */
export function ratePackage(quantity: Dec, { packageSize, packagePrice }: PackageProperties): Rating {
  const price = new Dec(packagePrice);
  if (quantity.lte(0)) return { amount: new Dec(0), unitPrice: price, tiers: [] };
  const packages = quantity.div(packageSize).ceil();
  const tier = tierEntry(new Dec(0), null, packages, price);
  return { amount: tier.amount, unitPrice: price, tiers: [tier] };
}
