import { describe, expect, it } from "vitest";
import { csvField } from "./csv.ts";

describe("csvField", () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["+1+2", "'+1+2"],
    ["-2+3", "'-2+3"],
    ["\tcalc", "'\tcalc"],
    ["\r=1", `"'\r=1"`],
  ])("neutralises a cell a spreadsheet would run as a formula: %j", (value, written) => {
    expect(csvField(value)).toBe(written);
  });

  it.each([
    ["-12.50", "-12.50"],
    ["31.00", "31.00"],
    ["CPU core-hours: 0 × 0.05", "CPU core-hours: 0 × 0.05"],
    ['Platform fee, "standard"', `"Platform fee, ""standard"""`],
  ])("leaves numbers and plain text as they are, quoting per RFC 4180: %j", (value, written) => {
    expect(csvField(value)).toBe(written);
  });
});
