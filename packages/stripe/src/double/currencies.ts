import { stripeCurrency } from "../amounts/stripe-currencies.ts";
import { invalid, StripeDoubleError } from "./errors.ts";

/** Presentment currencies the double accepts: the ones Meterplane bills in and Stripe's special cases. */
const supported = new Set(
  "usd eur gbp chf cad aud sek nok dkk pln czk inr brl mxn sgd hkd nzd zar cny huf twd ugx isk jpy krw clp vnd kwd bhd omr jod tnd".split(
    " ",
  ),
);

export function checkCurrency(currency: string | undefined): string {
  if (!currency) throw invalid("Missing required param: currency.", "currency", "parameter_missing");
  if (!supported.has(currency)) throw invalid(`Invalid currency: ${currency}.`, "currency");
  return currency;
}

/** Refuses an amount Stripe's currency table does not allow (a fraction of a króna, a KWD amount not ending in 0). */
export function checkAmount(amount: number, currency: string, param: string): void {
  const { step } = stripeCurrency(currency);
  if (amount % step !== 0)
    throw new StripeDoubleError(
      400,
      "invalid_request_error",
      `Invalid amount. Currency ${currency.toUpperCase()} amounts must be divisible by ${step}. See https://stripe.com/docs/currencies#special-cases for more information.`,
      "invalid_charge_amount_no_decimal_compatible",
      param,
    );
}
