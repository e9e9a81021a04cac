import { describe, expect, it } from "vitest";
import { scorePoint } from "../detector/score-point.ts";
import { createSeriesState } from "../detector/series-state.ts";
import { start } from "../testing/synthetic-series.ts";
import { checkSilence, silentAfter } from "./check-silence.ts";

function seriesEvery(intervalMs: number, points = 100) {
  const state = createSeriesState();
  for (let i = 0; i < points; i++) scorePoint(state, start + i * intervalMs, 10 + (i % 3));
  return state;
}

describe("checkSilence", () => {
  it("judges silence from the series' own interval, not a fixed time", () => {
    const everyTenSeconds = seriesEvery(10_000);
    const everyFiveMinutes = seriesEvery(300_000);
    const tenSecondsLast = everyTenSeconds.lastAt;
    expect(checkSilence(everyTenSeconds, tenSecondsLast + 20_000)).toEqual({ score: 0, kind: null });
    expect(checkSilence(everyTenSeconds, tenSecondsLast + 40_000)).toMatchObject({ kind: "silence" });
    expect(checkSilence(everyFiveMinutes, everyFiveMinutes.lastAt + 120_000)).toEqual({
      score: 0,
      kind: null,
    });
    expect(checkSilence(everyFiveMinutes, everyFiveMinutes.lastAt + 1_200_000)).toMatchObject({
      kind: "silence",
    });
  });

  it("scores a longer silence higher, from 0.5 at the limit", () => {
    const state = seriesEvery(10_000);
    const limit = silentAfter(state);
    expect(checkSilence(state, limit).score).toBeCloseTo(0.5);
    expect(checkSilence(state, limit + 60_000).score).toBeGreaterThan(
      checkSilence(state, limit + 10_000).score,
    );
  });

  it("says nothing about a series too new to have an interval", () => {
    expect(checkSilence(seriesEvery(10_000, 3), start + 3_600_000)).toEqual({ score: 0, kind: null });
  });
});
