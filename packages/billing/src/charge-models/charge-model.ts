import { Dec } from "@meterplane/core";
import type { z } from "zod";
import { parseOrThrow } from "../validation.ts";

/**
 * One slice of a rating: `quantity × unitPrice + flatFee = amount`, exact (never rounded). A line's
 * breakdown lists the tiers its quantity reaches, so the entries sum to the line's unrounded amount.
 */
export interface TierBreakdown {
  from: Dec;
  upTo: Dec | null;
  quantity: Dec;
  unitPrice: Dec;
  flatFee: Dec;
  amount: Dec;
}

/** What every charge model returns. `amount` is unrounded: rounding happens once, on the invoice line. */
export interface Rating {
  amount: Dec;
  /** The price shown on the line; for graduated tiers the average, to 12 decimals (informational). */
  unitPrice: Dec;
  tiers: TierBreakdown[];
}

/** The interface of a charge model: a pure function of a quantity and the model's validated properties. */
export type RateFunction<P> = (quantity: Dec, properties: P) => Rating;

export function tierEntry(
  from: Dec,
  upTo: Dec | null,
  quantity: Dec,
  unitPrice: Dec,
  flatFee: Dec = new Dec(0),
): TierBreakdown {
  return { from, upTo, quantity, unitPrice, flatFee, amount: quantity.times(unitPrice).plus(flatFee) };
}

export function sumTiers(tiers: TierBreakdown[]): Dec {
  return tiers.reduce((acc, t) => acc.plus(t.amount), new Dec(0));
}

/** Binds a model's schema to its rate function, so properties from the database are parsed before use. */
export function validated<P>(
  schema: z.ZodType<P>,
  rate: RateFunction<P>,
): (quantity: Dec, properties: unknown) => Rating {
  return (quantity, properties) => rate(quantity, parseOrThrow(schema, properties, "charge properties"));
}
