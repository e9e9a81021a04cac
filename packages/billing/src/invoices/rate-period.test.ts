import { AppError } from "@meterplane/core";
import { describe, expect, it } from "vitest";
import { flatCharge, metric, rateInput, rollup, usageCharge } from "../test/factories.ts";
import { ratePeriod } from "./rate-period.ts";

// 45 000 core-seconds / 3600 = 12.5 core-hours
const cpuRollups = { cpu_hours: [rollup({ sum: "45000" })] };
const cpuCharge = (overrides: Parameters<typeof usageCharge>[0] = {}) =>
  usageCharge({ metric: metric({ divisor: "3600" }), ...overrides });
const lineSummary = (invoice: ReturnType<typeof ratePeriod>) =>
  invoice.lines.map((l) => [l.kind, l.description, l.amount]);

describe("ratePeriod", () => {
  it("rates usage into a line rounded half-up to cents", () => {
    // 12.5 × 0.05 = 0.625 → 0.63
    const invoice = ratePeriod(rateInput({ charges: [cpuCharge()], rollups: cpuRollups }));
    expect(invoice.lines).toEqual([
      {
        position: 0,
        kind: "charge",
        chargeId: "charge-cpu",
        description: "CPU core-hours: 12.5 × 0.05",
        quantity: "12.5",
        unitPrice: "0.05",
        amount: "0.63",
        tiers: [
          { from: "0", upTo: null, quantity: "12.5", unitPrice: "0.05", flatFee: "0", amount: "0.625" },
        ],
        sources: [
          {
            environmentId: "env-a",
            meter: "cpu",
            dimensionKey: "",
            bucketStart: "2024-03-01T00:00:00.000Z",
            bucketEnd: "2024-03-01T01:00:00.000Z",
            granularity: "hour",
          },
        ],
      },
    ]);
    expect([invoice.subtotal, invoice.total]).toEqual(["0.63", "0.63"]);
    expect(invoice.ratingHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("rounds to whole yen and to thousandths of a dinar", () => {
    // JPY: 12.5 × 98.7 = 1233.75 → 1234
    const yen = ratePeriod(
      rateInput({
        currency: "JPY",
        charges: [cpuCharge({ properties: { unitPrice: "98.7" } })],
        rollups: cpuRollups,
      }),
    );
    expect([yen.lines[0]?.amount, yen.total]).toEqual(["1234", "1234"]);
    // KWD: 12.5 × 0.0123 = 0.15375 → 0.154
    const dinar = ratePeriod(
      rateInput({
        currency: "KWD",
        charges: [cpuCharge({ properties: { unitPrice: "0.0123" } })],
        rollups: cpuRollups,
      }),
    );
    expect([dinar.lines[0]?.amount, dinar.total]).toEqual(["0.154", "0.154"]);
  });

  it("keeps a 12-decimal unit price exact up to the single rounding", () => {
    // 1e9 transactions × 0.000000012345 = 12.345 exactly → 12.35 (binary floats give 12.34)
    const charge = usageCharge({
      metric: metric({ code: "tx", name: "Transactions" }),
      properties: { unitPrice: "0.000000012345" },
    });
    const invoice = ratePeriod(
      rateInput({
        charges: [charge],
        rollups: { tx: [rollup({ meter: "transactions", sum: "1000000000" })] },
      }),
    );
    expect(invoice.lines[0]?.tiers[0]?.amount).toBe("12.345");
    expect(invoice.total).toBe("12.35");
  });

  it("bills zero usage as a zero line without sources", () => {
    const invoice = ratePeriod(rateInput({ charges: [cpuCharge()] }));
    expect(invoice.lines[0]).toMatchObject({ quantity: "0", amount: "0.00", tiers: [], sources: [] });
    expect(invoice.total).toBe("0.00");
  });

  it("subtracts the free allowance first, never below zero", () => {
    // (12.5 − 10) × 0.05 = 0.125 → 0.13
    const partly = ratePeriod(rateInput({ charges: [cpuCharge({ freeUnits: "10" })], rollups: cpuRollups }));
    expect(lineSummary(partly)).toEqual([
      ["charge", "CPU core-hours: 2.5 × 0.05, after 10 free of 12.5", "0.13"],
    ]);
    // 12.5 − 20 < 0 → 0
    const wholly = ratePeriod(rateInput({ charges: [cpuCharge({ freeUnits: "20" })], rollups: cpuRollups }));
    expect(wholly.lines[0]).toMatchObject({ quantity: "0", amount: "0.00" });
  });

  it("tops a charge up to its minimum on a separate line", () => {
    // 0.63 billed, minimum 5.00 → top-up 4.37
    const invoice = ratePeriod(
      rateInput({ charges: [cpuCharge({ minimumAmount: "5" })], rollups: cpuRollups }),
    );
    expect(lineSummary(invoice)).toEqual([
      ["charge", "CPU core-hours: 12.5 × 0.05", "0.63"],
      ["charge_minimum", "CPU core-hours: top-up to minimum 5.00", "4.37"],
    ]);
    expect(invoice.lines[1]?.chargeId).toBe("charge-cpu");
    expect(invoice.total).toBe("5.00");
  });

  it("adds a minimum commitment line when the invoice falls short", () => {
    // 31.00 + 0.63 = 31.63; minimum 100 → 68.37
    const input = rateInput({
      charges: [flatCharge(), cpuCharge()],
      rollups: cpuRollups,
      invoiceMinimum: "100",
    });
    const invoice = ratePeriod(input);
    expect(lineSummary(invoice).at(-1)).toEqual([
      "invoice_minimum",
      "Minimum commitment: top-up to 100.00",
      "68.37",
    ]);
    expect(invoice.total).toBe("100.00");
    expect(ratePeriod({ ...input, invoiceMinimum: "20" }).lines).toHaveLength(2);
  });

  it("prorates flat fees and minimums by the seconds covered, never usage", () => {
    // starts Mar 15: 17 of 31 days. Fee 31 × 17/31 = 17.00; minimum 62 × 17/31 = 34.00.
    // Usage before Mar 15 is not billed; usage after is billed in full: 1000 × 0.05 = 50.00.
    const rollups = {
      cpu_hours: [
        rollup({ bucketStart: new Date("2024-03-14T23:00:00Z"), sum: "999" }),
        rollup({ bucketStart: new Date("2024-03-20T00:00:00Z"), sum: "1000" }),
      ],
    };
    const charges = [flatCharge({ position: 0 }), usageCharge({ position: 1 })];
    const subscription = { startAt: new Date("2024-03-15T00:00:00Z") };
    const invoice = ratePeriod(rateInput({ charges, rollups, subscription, invoiceMinimum: "62" }));
    expect(lineSummary(invoice)).toEqual([
      ["charge", "Platform fee, prorated 17 of 31 days", "17.00"],
      ["charge", "CPU core-hours: 1000 × 0.05", "50.00"],
    ]);
    const short = ratePeriod(rateInput({ charges: [flatCharge()], subscription, invoiceMinimum: "62" }));
    expect(lineSummary(short)[1]).toEqual([
      "invoice_minimum",
      "Minimum commitment: top-up to 34.00",
      "17.00",
    ]);
  });

  it("describes graduated lines and stores their tiers unrounded", () => {
    // tiers (0,10] at 0.1 and (10,∞) at 0.01: 10 × 0.1 + 2.5 × 0.01 = 1.025 → 1.03
    const tiers = [
      { upTo: "10", unitPrice: "0.1" },
      { upTo: null, unitPrice: "0.01" },
    ];
    const invoice = ratePeriod(
      rateInput({ charges: [cpuCharge({ model: "graduated", properties: { tiers } })], rollups: cpuRollups }),
    );
    expect(invoice.lines[0]).toMatchObject({
      description: "CPU core-hours: 12.5, graduated over 2 tier(s)",
      amount: "1.03",
    });
    expect(invoice.lines[0]?.tiers.map((t) => t.amount)).toEqual(["1", "0.025"]);
  });

  it("orders lines by charge position then id, whatever the input order", () => {
    const charges = [
      cpuCharge({ id: "b", position: 1 }),
      flatCharge({ id: "z", position: 0 }),
      cpuCharge({ id: "a", position: 1 }),
    ];
    expect(ratePeriod(rateInput({ charges })).lines.map((l) => l.chargeId)).toEqual(["z", "a", "b"]);
  });

  it("ignores rollups outside the period", () => {
    const rollups = { cpu_hours: [rollup({ bucketStart: new Date("2024-04-01T00:00:00Z"), sum: "3600" })] };
    expect(ratePeriod(rateInput({ charges: [cpuCharge()], rollups })).total).toBe("0.00");
  });

  it("accepts ISO timestamps as well as dates, with the same result", () => {
    const input = rateInput({ charges: [cpuCharge()], rollups: cpuRollups });
    const asText = { ...input, period: { start: "2024-03-01T00:00:00Z", end: "2024-04-01T00:00:00.000Z" } };
    expect(ratePeriod(asText)).toEqual(ratePeriod(input));
  });

  it("rejects inconsistent input with a validation error", () => {
    expect(() => ratePeriod(rateInput({ currency: "XYZ" }))).toThrow(AppError);
    expect(() => ratePeriod(rateInput({ currency: "XYZ" }))).toThrow(/currency: unsupported currency/);
    expect(() => ratePeriod(rateInput({ charges: [flatCharge({ metric: metric() })] }))).toThrow(
      /flat charge/,
    );
    expect(() => ratePeriod(rateInput({ charges: [cpuCharge({ properties: { unitPrice: "x" } })] }))).toThrow(
      /unitPrice/,
    );
    expect(() => ratePeriod(rateInput({ charges: [cpuCharge(), cpuCharge()] }))).toThrow(/unique/);
  });
});
