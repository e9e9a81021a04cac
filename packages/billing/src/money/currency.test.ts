import { describe, expect, it } from "vitest";
import { currencyExponent, currencyProblem, supportedCurrencies } from "./currency.ts";

describe("the currencies a plan may bill in", () => {
  it("are all active ISO 4217 codes", () => {
    for (const code of supportedCurrencies) expect(currencyProblem(code)).toBeUndefined();
    expect(supportedCurrencies.every((code) => Intl.supportedValuesOf("currency").includes(code))).toBe(true);
  });

  it("refuse what is not an ISO 4217 code, or one whose minor units the engine does not know, saying which", () => {
    expect(currencyProblem("XYZ")).toBe("XYZ is not an ISO 4217 currency code, like USD or EUR");
    expect(currencyProblem("usd")).toBe("usd is not an ISO 4217 currency code, like USD or EUR");
    expect(currencyProblem("DEM")).toBe("DEM is not an ISO 4217 currency code, like USD or EUR");
    expect(currencyProblem("")).toBe("this is not an ISO 4217 currency code, like USD or EUR");
    // The Hungarian forint is ISO 4217, but not in the table of minor units.
    expect(currencyProblem("HUF")).toMatch(
      /^HUF is not a currency Meterplane bills in yet; use one of USD, EUR/,
    );
  });

  it("round to their ISO 4217 minor units", () => {
    expect([currencyExponent("USD"), currencyExponent("JPY"), currencyExponent("KWD")]).toEqual([2, 0, 3]);
  });
});
