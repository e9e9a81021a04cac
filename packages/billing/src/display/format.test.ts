import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatDateTime,
  formatHour,
  formatMeasure,
  formatMoney,
  formatPeriod,
  formatQuantity,
  formatUnitPrice,
} from "./format.ts";

describe("money as finance reads it", () => {
  it("shows the currency's symbol and exactly its minor unit", () => {
    expect(formatMoney("49.000000000000", "USD")).toBe("$49.00");
    expect(formatMoney("1234.5", "EUR")).toBe("€1,234.50");
    expect(formatMoney("1200", "JPY")).toBe("¥1,200");
    expect(formatMoney("1.25", "KWD")).toBe("KWD 1.250");
  });

  it("keeps every digit of a large amount (no binary float on the way)", () => {
    expect(formatMoney("12345678901234567.89", "USD")).toBe("$12,345,678,901,234,567.89");
  });

  it("shows a unit price with the digits it has, never fewer than the minor unit", () => {
    expect(formatUnitPrice("0.000125", "USD")).toBe("$0.000125");
    expect(formatUnitPrice("2", "USD")).toBe("$2.00");
  });
});

describe("quantities in their unit", () => {
  it("rounds for reading and keeps the exact figure for the hover and exports", () => {
    expect(formatQuantity("1234.567891234567", "core-hours")).toEqual({
      text: "1,234.57 core-hours",
      exact: "1234.567891234567 core-hours",
    });
    expect(formatQuantity("0.000123456", "GB")).toEqual({ text: "0.000123 GB", exact: "0.000123456 GB" });
    expect(formatQuantity("0", "GB").text).toBe("0 GB");
  });

  it("scales bytes to binary units", () => {
    expect(formatMeasure("536870912", "bytes")).toEqual({ text: "512 MiB", exact: "536870912 bytes" });
    expect(formatMeasure("3221225472", "bytes").text).toBe("3 GiB");
    expect(formatMeasure("7", "count").text).toBe("7 count");
  });
});

describe("dates in words, UTC", () => {
  it("reads a half-open month as the days it covers", () => {
    expect(formatPeriod(new Date("2026-10-01T00:00:00Z"), new Date("2026-11-01T00:00:00Z"))).toBe(
      "October 1 – 31, 2026",
    );
    expect(formatPeriod(new Date("2026-12-15T00:00:00Z"), new Date("2027-01-15T00:00:00Z"))).toBe(
      "December 15, 2026 – January 14, 2027",
    );
  });

  it("names days, instants and hourly buckets in UTC", () => {
    expect(formatDate(new Date("2026-12-05T23:30:00Z"))).toBe("December 5, 2026");
    expect(formatDateTime(new Date("2026-12-05T09:54:00Z"))).toBe("Dec 5, 2026, 09:54 UTC");
    expect(formatHour(new Date("2026-10-03T23:00:00Z"))).toBe("Oct 3, 23:00–00:00 UTC");
  });
});
