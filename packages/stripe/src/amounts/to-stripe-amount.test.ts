import { currencyExponent, supportedCurrencies } from "@meterplane/billing";
import { Dec } from "@meterplane/core";
import { describe, expect, it } from "vitest";
import { fromStripeAmount, toStripeAmount } from "./to-stripe-amount.ts";

/** What Stripe's currency table says one whole unit and the smallest amount we can bill are, per currency. */
const stripeTable: Record<string, { unit: number; smallest: string | null }> = {
  // zero-decimal
  JPY: { unit: 1, smallest: "1" },
  KRW: { unit: 1, smallest: "1" },
  CLP: { unit: 1, smallest: "1" },
  VND: { unit: 1, smallest: "1" },
  // ISK: whole krónur, written with two decimals (5 ISK is 500)
  ISK: { unit: 100, smallest: "1" },
  // three-decimal, last digit 0: the smallest sendable amount is 0.010
  KWD: { unit: 1000, smallest: "0.01" },
  BHD: { unit: 1000, smallest: "0.01" },
  OMR: { unit: 1000, smallest: "0.01" },
  JOD: { unit: 1000, smallest: "0.01" },
  TND: { unit: 1000, smallest: "0.01" },
};

describe("toStripeAmount", () => {
  it.each(supportedCurrencies)("converts %s as Stripe's currency table says", (currency) => {
    const { unit, smallest } = stripeTable[currency] ?? { unit: 100, smallest: "0.01" };
    expect(toStripeAmount(new Dec("1234"), currency)).toBe(1234 * unit);
    expect(toStripeAmount(new Dec(smallest ?? "1"), currency)).toBe(
      new Dec(smallest ?? "1").times(unit).toNumber(),
    );
    // The smallest amount our ledger can hold (ISO minor unit) either maps exactly or is refused.
    const isoStep = new Dec(1).div(new Dec(10).pow(currencyExponent(currency)));
    if (isoStep.gte(smallest ?? "1"))
      expect(toStripeAmount(isoStep, currency)).toBe(isoStep.times(unit).toNumber());
    else expect(() => toStripeAmount(isoStep, currency)).toThrow(/cannot be sent to Stripe/);
    expect(fromStripeAmount(toStripeAmount(new Dec("1234"), currency), currency).toString()).toBe("1234");
  });

  it("sends ISK as two-decimal whole krónur, and JPY, KWD, USD by their own rules", () => {
    expect(toStripeAmount("1234", "ISK")).toBe(123400);
    expect(toStripeAmount("1234", "JPY")).toBe(1234);
    expect(toStripeAmount("0.15", "KWD")).toBe(150);
    expect(toStripeAmount("12.34", "USD")).toBe(1234);
  });

  it("refuses, with a clear error, an amount Stripe cannot represent", () => {
    expect(() => toStripeAmount("0.154", "KWD")).toThrow(
      expect.objectContaining({
        code: "STRIPE_AMOUNT_UNREPRESENTABLE",
        message: "0.154 KWD cannot be sent to Stripe: Stripe needs the last of its three decimals to be 0",
      }),
    );
    expect(() => toStripeAmount("12.5", "ISK")).toThrow(/Stripe takes at most 2 decimals|whole units/);
    expect(() => toStripeAmount("0.5", "JPY")).toThrow(/at most 0 decimals/);
    expect(() => toStripeAmount("0.001", "USD")).toThrow(/at most 2 decimals/);
    expect(() => toStripeAmount("100000000000000", "USD")).toThrow(/too large/);
  });
});
