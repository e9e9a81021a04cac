import { Decimal } from "decimal.js";

/**
 * Quantities and money are decimals. This configuration (precision far beyond any amount we bill,
 * rounding half-up as invoices expect) is the only one used anywhere in Meterplane.
 */
export const Dec = Decimal.clone({
  precision: 60,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 60,
});
export type Dec = Decimal;

const decimalPattern = /^-?\d{1,26}(\.\d{1,12})?$/;

/** True for the decimal strings our wire format and database exchange: at most 26 digits before the point and 12 after. */
export function isDecimalString(value: string): boolean {
  return decimalPattern.test(value);
}
