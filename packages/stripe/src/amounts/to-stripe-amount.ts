import { AppError, Dec } from "@meterplane/core";
import { stripeCurrency } from "./stripe-currencies.ts";

type Amount = Dec | { toString(): string };

/**
 * Our exact amount as Stripe's integer amount in `currency`. Nothing is rounded here: our amounts are
 * already rounded once (to the ISO minor unit), so an amount Stripe cannot represent exactly (a fraction of
 * a króna, a KWD amount whose last fils digit is not 0, more than Stripe's decimals, beyond 2^53) is
 * refused with STRIPE_AMOUNT_UNREPRESENTABLE before any request, rather than sent as a different sum.
 */
export function toStripeAmount(amount: Amount, currency: string): number {
  const { exponent, step } = stripeCurrency(currency);
  const units = new Dec(amount.toString()).times(new Dec(10).pow(exponent));
  const refuse = (why: string) =>
    new AppError(
      "STRIPE_AMOUNT_UNREPRESENTABLE",
      `${amount.toString()} ${currency.toUpperCase()} cannot be sent to Stripe: ${why}`,
    );
  if (!units.isInteger())
    throw refuse(`Stripe takes at most ${exponent} decimals in ${currency.toUpperCase()}`);
  if (!units.mod(step).isZero())
    throw refuse(
      step === 10
        ? "Stripe needs the last of its three decimals to be 0"
        : "Stripe takes whole units only in this currency",
    );
  if (units.abs().gt(Number.MAX_SAFE_INTEGER)) throw refuse("the amount is too large");
  return units.toNumber();
}

/** Stripe's integer amount back as our exact amount, to compare what Stripe holds with our ledger. */
export function fromStripeAmount(units: number, currency: string): Dec {
  return new Dec(units).div(new Dec(10).pow(stripeCurrency(currency).exponent));
}
