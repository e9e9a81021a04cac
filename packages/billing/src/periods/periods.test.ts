import { describe, expect, it } from "vitest";
import { billingPeriodContaining } from "./billing-period.ts";
import { coverage } from "./proration.ts";

const utc = (iso: string) => new Date(`${iso}Z`);
const iso = (p: { start: Date; end: Date }) => [p.start.toISOString(), p.end.toISOString()];

describe("billingPeriodContaining", () => {
  const anchor = utc("2024-01-31T00:00:00");
  const monthly = (at: string) => iso(billingPeriodContaining({ anchor, interval: "monthly", at: utc(at) }));

  it("clamps a Jan 31 anchor to the last day of shorter months and returns to the 31st", () => {
    expect(monthly("2024-02-15T00:00:00")).toEqual(["2024-01-31T00:00:00.000Z", "2024-02-29T00:00:00.000Z"]);
    expect(monthly("2024-03-01T00:00:00")).toEqual(["2024-02-29T00:00:00.000Z", "2024-03-31T00:00:00.000Z"]);
    expect(monthly("2024-04-15T00:00:00")).toEqual(["2024-03-31T00:00:00.000Z", "2024-04-30T00:00:00.000Z"]);
    expect(monthly("2023-02-10T00:00:00")).toEqual(["2023-01-31T00:00:00.000Z", "2023-02-28T00:00:00.000Z"]);
  });

  it("is half-open: the end instant starts the next period", () => {
    expect(monthly("2024-02-29T00:00:00")).toEqual(["2024-02-29T00:00:00.000Z", "2024-03-31T00:00:00.000Z"]);
    expect(monthly("2024-02-28T23:59:59.999")).toEqual([
      "2024-01-31T00:00:00.000Z",
      "2024-02-29T00:00:00.000Z",
    ]);
  });

  it("keeps the anchor's UTC time of day", () => {
    const at = utc("2024-03-15T08:00:00");
    const period = billingPeriodContaining({ anchor: utc("2024-01-15T10:30:00"), interval: "monthly", at });
    expect(iso(period)).toEqual(["2024-02-15T10:30:00.000Z", "2024-03-15T10:30:00.000Z"]);
  });

  it("finds yearly periods, a Feb 29 anchor falling on Feb 28 in common years", () => {
    const period = billingPeriodContaining({
      anchor: utc("2024-02-29T00:00:00"),
      interval: "yearly",
      at: utc("2025-06-01T00:00:00"),
    });
    expect(iso(period)).toEqual(["2025-02-28T00:00:00.000Z", "2026-02-28T00:00:00.000Z"]);
  });
});

describe("coverage", () => {
  const march = { start: utc("2024-03-01T00:00:00"), end: utc("2024-04-01T00:00:00") };

  it("is the share of the period's seconds the subscription is active", () => {
    // active from Mar 15 00:00: 17 of 31 days
    const { fraction, covered } = coverage(march, { startAt: utc("2024-03-15T00:00:00") });
    expect(fraction.times(31).toString()).toBe("17");
    expect(covered.start.toISOString()).toBe("2024-03-15T00:00:00.000Z");
  });

  it("counts hours, not whole days, and stops at the subscription's end", () => {
    // ended Mar 1 06:00: 6 of March's 744 hours
    const { fraction } = coverage(march, {
      startAt: utc("2024-02-01T00:00:00"),
      endAt: utc("2024-03-01T06:00:00"),
    });
    expect(fraction.times(744).toString()).toBe("6");
  });

  it("rejects a subscription not active in the period", () => {
    expect(() => coverage(march, { startAt: utc("2024-04-01T00:00:00") })).toThrow(/not active/);
  });
});
