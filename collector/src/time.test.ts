import { describe, expect, it } from "vitest";
import { isoSeconds, nextTick, previousTick } from "./time.ts";

const at = (iso: string) => Date.parse(iso) / 1000;

describe("aligned ticks", () => {
  it("aligns to the wall clock", () => {
    expect(isoSeconds(nextTick(at("2026-11-25T10:00:07Z"), 60))).toBe("2026-11-25T10:01:00Z");
    expect(isoSeconds(nextTick(at("2026-11-25T10:01:00Z"), 60))).toBe("2026-11-25T10:02:00Z");
    expect(isoSeconds(previousTick(at("2026-11-25T10:01:00Z"), 60))).toBe("2026-11-25T10:00:00Z");
  });

  it("cuts at the hour when the interval does not divide 3600", () => {
    // 7 s slots: 514 × 7 = 3598, so 10:59:58 opens a 2 s slot and the next tick is the hour, not 11:00:05.
    expect(isoSeconds(nextTick(at("2026-11-25T10:59:56Z"), 7))).toBe("2026-11-25T10:59:58Z");
    expect(isoSeconds(nextTick(at("2026-11-25T10:59:58.5Z"), 7))).toBe("2026-11-25T11:00:00Z");
    expect(isoSeconds(previousTick(at("2026-11-25T11:00:00Z"), 7))).toBe("2026-11-25T10:59:58Z");
    expect(isoSeconds(nextTick(at("2026-11-25T11:00:00Z"), 7))).toBe("2026-11-25T11:00:07Z");
  });
});
