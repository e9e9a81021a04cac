import { Dec } from "@meterplane/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { roundMoney } from "../money/currency.ts";
import { decimalArb, tiersArb } from "../test/arbitraries.ts";
import { flatCharge, rateInput, rollup, usageCharge } from "../test/factories.ts";
import { ratePeriod } from "./rate-period.ts";

const rollupArb = fc
  .record({
    environmentId: fc.constantFrom("env-a", "env-b"),
    hour: fc.integer({ min: 0, max: 743 }),
    sum: decimalArb(1_000_000, 6),
    region: fc.constantFrom("eu", "us"),
  })
  .map(({ environmentId, hour, sum, region }) =>
    rollup({ environmentId, sum, dimensions: { region }, bucketStart: new Date(Date.UTC(2024, 2, 1, hour)) }),
  );

const inputArb = fc
  .record({
    currency: fc.constantFrom("USD", "JPY", "KWD"),
    tiers: tiersArb,
    freeUnits: decimalArb(1000, 3),
    minimumAmount: fc.option(decimalArb(1000, 2), { nil: null }),
    invoiceMinimum: fc.option(decimalArb(100_000, 2), { nil: null }),
    startDay: fc.integer({ min: 1, max: 31 }),
    rollups: fc.array(rollupArb, { maxLength: 20 }),
  })
  .map((r) =>
    rateInput({
      currency: r.currency,
      subscription: { startAt: new Date(Date.UTC(2024, 2, r.startDay)) },
      charges: [
        flatCharge(),
        usageCharge({
          id: "grad",
          model: "graduated",
          properties: { tiers: r.tiers },
          freeUnits: r.freeUnits,
          minimumAmount: r.minimumAmount,
        }),
      ],
      rollups: { cpu_hours: r.rollups },
      invoiceMinimum: r.invoiceMinimum,
    }),
  );

describe("ratePeriod, for any input", () => {
  it("gives the identical invoice and hash when re-rated, whatever the order of rollups and charges", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const shuffled = {
          ...input,
          charges: [...input.charges].reverse(),
          rollups: { cpu_hours: [...(input.rollups?.cpu_hours ?? [])].reverse() },
        };
        const first = ratePeriod(input);
        expect(ratePeriod(input)).toEqual(first);
        expect(ratePeriod(shuffled)).toEqual(first);
      }),
    );
  });

  it("rounds each charge line's breakdown once, and totals the rounded lines", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const invoice = ratePeriod(input);
        for (const line of invoice.lines.filter((l) => l.kind === "charge")) {
          const exact = line.tiers.reduce((acc, t) => acc.plus(t.amount), new Dec(0));
          expect(roundMoney(exact, invoice.currency).eq(line.amount)).toBe(true);
        }
        const sum = invoice.lines.reduce((acc, l) => acc.plus(l.amount), new Dec(0));
        expect(sum.eq(invoice.total)).toBe(true);
      }),
    );
  });

  it("changes the hash when usage changes", () => {
    const input = rateInput({ charges: [usageCharge()], rollups: { cpu_hours: [rollup({ sum: "10" })] } });
    const changed = { ...input, rollups: { cpu_hours: [rollup({ sum: "10.000000000001" })] } };
    expect(ratePeriod(changed).ratingHash).not.toBe(ratePeriod(input).ratingHash);
  });
});
