import { AppError, Dec } from "@meterplane/core";

/** ISO 4217 minor units of the currencies we bill in. */
const minorUnits: Record<string, number> = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  CHF: 2,
  CAD: 2,
  AUD: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  PLN: 2,
  CZK: 2,
  INR: 2,
  BRL: 2,
  MXN: 2,
  SGD: 2,
  HKD: 2,
  NZD: 2,
  ZAR: 2,
  CNY: 2,
  JPY: 0,
  KRW: 0,
  ISK: 0,
  CLP: 0,
  VND: 0,
  KWD: 3,
  BHD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
};

/** Every currency a plan may bill in. */
export const supportedCurrencies: readonly string[] = Object.keys(minorUnits);

export function isSupportedCurrency(currency: string): boolean {
  return Object.hasOwn(minorUnits, currency);
}

/** The active ISO 4217 codes, as the ICU data Node ships with lists them (no historic or test codes). */
const iso4217 = new Set(Intl.supportedValuesOf("currency"));

/**
 * Why a plan cannot bill in `currency`, or undefined when it can: not an ISO 4217 code at all, or one whose
 * minor units the engine does not know (money is rounded to them, and Stripe is sent them).
 */
export function currencyProblem(currency: string): string | undefined {
  if (isSupportedCurrency(currency)) return undefined;
  if (!/^[A-Z]{3}$/.test(currency) || !iso4217.has(currency))
    return `${currency || "this"} is not an ISO 4217 currency code, like USD or EUR`;
  return `${currency} is not a currency Meterplane bills in yet; use one of ${supportedCurrencies.join(", ")}`;
}

export function currencyExponent(currency: string): number {
  const exponent = minorUnits[currency];
  if (exponent === undefined) throw new AppError("VALIDATION_FAILED", `unsupported currency ${currency}`);
  return exponent;
}

/**
 * The one place money is rounded: each invoice line's amount, half-up (away from zero for the
 * non-negative amounts we bill), to the currency's minor unit. Totals are sums of rounded lines.
 */
export function roundMoney(amount: Dec, currency: string): Dec {
  return amount.toDecimalPlaces(currencyExponent(currency), Dec.ROUND_HALF_UP);
}

/** An amount as an integer count of minor units, as Stripe wants it. */
export function toMinorUnits(amount: Dec, currency: string): bigint {
  return BigInt(
    roundMoney(amount, currency)
      .times(new Dec(10).pow(currencyExponent(currency)))
      .toFixed(0),
  );
}
