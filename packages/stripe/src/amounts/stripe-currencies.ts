/**
 * How Stripe's API writes amounts, per currency, from Stripe's currency table
 * (https://docs.stripe.com/currencies): an integer count of `10^-exponent` units that must be a multiple
 * of `step`. This is Stripe's rule, which differs from ISO 4217 in places; our own rounding stays ISO's.
 */
export interface StripeCurrency {
  exponent: number;
  step: number;
}

/** Zero-decimal: the amount is in whole units (¥500 is 500). */
const zeroDecimal = [
  "bif",
  "clp",
  "djf",
  "gnf",
  "jpy",
  "kmf",
  "krw",
  "mga",
  "pyg",
  "rwf",
  "vnd",
  "vuv",
  "xaf",
  "xof",
  "xpf",
];

/** Three-decimal: Stripe's payment partners need the last digit 0, so 5.124 KWD cannot be sent (5.120 can). */
const threeDecimal = ["bhd", "jod", "kwd", "omr", "tnd"];

/**
 * Special cases. ISK and UGX are zero-decimal in effect, but the API still reads them as two-decimal for
 * backwards compatibility: 5 ISK is 500, and a fraction of a króna (a value not divisible by 100) is
 * refused. HUF and TWD stay two-decimal for charges and invoices (Stripe pays them out in whole units only).
 */
const wholeUnitsInTwoDecimals = ["isk", "ugx"];

export function stripeCurrency(currency: string): StripeCurrency {
  const code = currency.toLowerCase();
  if (zeroDecimal.includes(code)) return { exponent: 0, step: 1 };
  if (threeDecimal.includes(code)) return { exponent: 3, step: 10 };
  if (wholeUnitsInTwoDecimals.includes(code)) return { exponent: 2, step: 100 };
  return { exponent: 2, step: 1 };
}
