import { fieldErrorsIn } from "@meterplane/core";
import { describe, expect, it } from "vitest";
import { parsePlanVersion } from "./plan-version-input.ts";

const tier = (upTo: string | null, unitPrice: string) => ({ upTo, unitPrice });
const graduated = (tiers: unknown[]) => ({ metric: "egress", model: "graduated", properties: { tiers } });

/** The field errors a refused plan version carries, by path. */
function refusal(input: unknown) {
  try {
    parsePlanVersion(input);
  } catch (error) {
    return { fields: fieldErrorsIn(error), message: (error as Error).message };
  }
  throw new Error("the plan version was accepted");
}

describe("a plan version refused", () => {
  it("names every problem at its field, each tier's at that tier, all at once", () => {
    const { fields } = refusal({
      currency: "USD",
      charges: [
        graduated([tier("100", "1"), tier("1000", "-0.5"), tier(null, "0.25x")]),
        { model: "flat", properties: { amount: "49" } },
        graduated([tier("100", "1"), tier("50", "0.5"), tier(null, "0.25")]),
      ],
    });
    expect(fields).toEqual({
      "charges.0.properties.tiers.1.unitPrice": "a non-negative decimal string with at most 12 decimals",
      "charges.0.properties.tiers.2.unitPrice": "a non-negative decimal string with at most 12 decimals",
      "charges.2.properties.tiers.1.upTo": "tier bounds must strictly increase",
    });
  });

  it("says a flat fee has no metric at the charge's metric", () => {
    const { fields } = refusal({
      currency: "USD",
      charges: [{ model: "flat", metric: "cpu", properties: { amount: "1" } }],
    });
    expect(fields).toEqual({
      "charges.0.metric": "a flat charge has no metric and every other charge has one",
    });
  });

  it("refuses a currency that is not ISO 4217, at the currency", () => {
    const { fields } = refusal({
      currency: "XYZ",
      charges: [{ model: "flat", properties: { amount: "1" } }],
    });
    expect(fields).toEqual({ currency: "XYZ is not an ISO 4217 currency code, like USD or EUR" });
  });
});
