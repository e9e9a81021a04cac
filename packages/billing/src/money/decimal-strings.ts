import { Dec, isDecimalString } from "@meterplane/core";
import { z } from "zod";

/**
 * Decimals cross the engine's edge as strings, never as JS numbers, so a price like 0.000000000001 arrives
 * exactly as written. The 12-decimal limit is the scale of the database's quantity and unit-price columns.
 */
export const priceString = z
  .string()
  .regex(/^\d{1,14}(\.\d{1,12})?$/, "a non-negative decimal string with at most 12 decimals");

export const decimalString = z.string().refine(isDecimalString, "a decimal string with at most 12 decimals");

export const nonNegativeDecimalString = decimalString.refine(
  (v) => !new Dec(v).isNeg(),
  "must not be negative",
);

export const positiveDecimalString = decimalString.refine((v) => new Dec(v).gt(0), "must be greater than 0");
