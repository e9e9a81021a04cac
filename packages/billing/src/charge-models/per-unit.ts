import { Dec } from "@meterplane/core";
import { z } from "zod";

export const perUnitProperties = z.object({ unitPrice: z.string().regex(/^\d{1,14}(\.\d{1,12})?$/) });
export type PerUnitProperties = z.infer<typeof perUnitProperties>;

/** Every unit at the same price. The amount is exact; rounding happens once, on the invoice line. */
export function ratePerUnit(
  quantity: Dec,
  { unitPrice }: PerUnitProperties,
): { amount: Dec; unitPrice: Dec } {
  const price = new Dec(unitPrice);
  return { amount: quantity.times(price), unitPrice: price };
}
