import { describe, expect, it } from "vitest";
import {
  day,
  fiveMinutes,
  normalNoise,
  type SeriesShape,
  start,
  syntheticSeries,
} from "../testing/synthetic-series.ts";
import { detectorSettings, type PointScore, scorePoint } from "./score-point.ts";
import { createSeriesState, seriesStateSchema } from "./series-state.ts";

const alert = detectorSettings.alertScore;
const anomalyDay = 10;
const anomalyStart = (anomalyDay * day) / fiveMinutes + 100;

function run(shape: SeriesShape): (PointScore & { i: number })[] {
  const state = createSeriesState();
  return syntheticSeries(shape).map(({ at, value }, i) => ({ ...scorePoint(state, at, value), i }));
}

const firstAlert = (scores: (PointScore & { i: number })[]) => scores.find((point) => point.score >= alert);
// The first two days are learning (the daily profile is still settling): NAB does not count them either
// (its probation is 15% of a file, two days of a two-week file).
const afterLearning = (scores: (PointScore & { i: number })[]) =>
  scores.filter((point) => point.i >= (2 * day) / fiveMinutes);

describe("scorePoint", () => {
  it("does not alert on two weeks of a daily pattern with noise", () => {
    const scores = afterLearning(run({ days: 14 }));
    expect(Math.max(...scores.map((point) => point.score))).toBeLessThan(alert);
  });

  it("does not alert on a series that never changes", () => {
    const scores = run({ days: 7, replace: () => 42 });
    expect(scores.every((point) => point.score === 0)).toBe(true);
  });

  it("alerts on a spike at the spike, as a spike", () => {
    const scores = run({ days: 14, departure: (i) => (i === anomalyStart ? 12 : 0) });
    expect(firstAlert(afterLearning(scores))).toMatchObject({ i: anomalyStart, kind: "spike" });
  });

  it("alerts on a level shift at once, and tells it from a spike as the level stays off", () => {
    const scores = run({ days: 14, departure: (i) => (i >= anomalyStart ? 8 : 0) });
    expect(firstAlert(afterLearning(scores))?.i).toBe(anomalyStart);
    const following = scores.slice(anomalyStart + 1, anomalyStart + 6).map((point) => point.kind);
    expect(following).toEqual(Array(5).fill("level_shift"));
  });

  it("alerts on a slow drift before it is large, as a drift", () => {
    // 0.1 noise deviations more every point, under a quarter of the daily swing's steepest slope.
    const scores = run({ days: 14, departure: (i) => (i >= anomalyStart ? 0.1 * (i - anomalyStart) : 0) });
    const first = firstAlert(afterLearning(scores));
    expect(first?.kind).toBe("drift");
    expect(first!.i - anomalyStart).toBeGreaterThan(0);
    expect(first!.i - anomalyStart).toBeLessThan(150);
  });

  it("does not alert a drift again while its departure stays above the alert level", () => {
    // The slow leak above, left to grow for four days: before, it re-alerted at the end of every quiet period.
    const scores = run({ days: 14, departure: (i) => (i >= anomalyStart ? 0.1 * (i - anomalyStart) : 0) });
    const drifts = scores.filter((point) => point.score >= alert && point.kind === "drift");
    expect(drifts[0]!.i - anomalyStart).toBeLessThan(150);
    expect(drifts.length).toBeLessThanOrEqual(2);
  });

  it("alerts on a value that stops changing, as a flat line", () => {
    // A stuck sensor: the last reading repeated for three hours.
    let stuck = 0;
    const scores = run({
      days: 14,
      replace: (i, value) => {
        if (i === anomalyStart - 1) stuck = value;
        return i >= anomalyStart && i < anomalyStart + 36 ? stuck : undefined;
      },
    });
    const first = firstAlert(afterLearning(scores));
    expect(first?.kind).toBe("flat_line");
    expect(first!.i - anomalyStart).toBeGreaterThan(0);
    expect(first!.i - anomalyStart).toBeLessThan(12);
  });

  it("keeps an hourly series quiet after an alert for a day, not for its 120 points", () => {
    // Two months of an hourly series: a spike, then two days later (48 points) a drop that stays.
    const hour = 3_600_000;
    const noise = normalNoise(11);
    const spikeAt = 40 * 24;
    const dropAt = spikeAt + 48;
    const state = createSeriesState();
    const alerts: number[] = [];
    for (let i = 0; i < 60 * 24; i++) {
      const value = 100 + noise() + (i === spikeAt ? 12 : 0) + (i >= dropAt ? -10 : 0);
      if (scorePoint(state, start + i * hour, value).score >= alert) alerts.push(i);
    }
    expect(alerts).toContain(spikeAt);
    expect(alerts.filter((i) => i >= dropAt && i < dropAt + 5)).toHaveLength(1);
  });

  // Idle at a value with a one-step dip now and then (the step is learned), then one step up, never seen before.
  const gridScores = (idle: number, settings: Partial<typeof detectorSettings>) => {
    const value = (i: number) => (i % 97 === 0 && i < 288 ? idle - 1 : i === 3 * 288 ? idle + 1 : idle);
    const state = createSeriesState();
    const merged = { ...detectorSettings, ...settings };
    return Array.from({ length: 4 * 288 }, (_, i) =>
      scorePoint(state, start + i * fiveMinutes, value(i), merged),
    );
  };

  it("judges a series on a grid of values by its step: one step is a bounded departure, not thousands", () => {
    // The step up is beyond the range (idle and one below): judged here without the range's boost, and the
    // quantum floor alone (the count floor and the hour's usual error, which the first day's dips raise, off).
    const oneStep = (10 * 10) / (10 * 10 + detectorSettings.halfScoreAt ** 2);
    const floored = gridScores(5, { countFloor: 0, rangeBoost: 1, plainSpread: 0 })[3 * 288]!.score;
    expect(floored).toBeLessThan(oneStep + 1e-3);
    expect(floored).toBeGreaterThanOrEqual(alert);
    expect(
      gridScores(5, { countFloor: 0, quantumFloor: 0, rangeBoost: 1, plainSpread: 0 })[3 * 288]!.score,
    ).toBeGreaterThan(0.99);
  });

  it("judges a count by Poisson noise: one more at a count of 5 is not news, twenty more is", () => {
    expect(gridScores(5, {})[3 * 288]!.score).toBeLessThan(alert);
    const value = (i: number) => (i % 97 === 0 && i < 288 ? 4 : i === 3 * 288 ? 25 : 5);
    const state = createSeriesState();
    const scores = Array.from({ length: 4 * 288 }, (_, i) =>
      scorePoint(state, start + i * fiveMinutes, value(i)),
    );
    expect(scores[3 * 288]!.score).toBeGreaterThanOrEqual(alert);
  });

  it("judges a series without a daily profile against the usual error of the hour: a noisy hour is not news", () => {
    // Three weeks of a level with N(0, 1) noise, six times wider for one hour a day (a nightly job's jitter):
    // no daily profile to learn, so the plain level is used, and its one scale is the quiet hours'.
    const alertsAfterThreeDays = (seed: number, settings: Partial<typeof detectorSettings>) => {
      const noise = normalNoise(seed);
      const state = createSeriesState();
      const merged = { ...detectorSettings, ...settings };
      let alerts = 0;
      for (let i = 0; i < (21 * day) / fiveMinutes; i++) {
        const at = start + i * fiveMinutes;
        const noisy = at % day >= 23 * 3_600_000;
        const value = 100 + noise() * (noisy ? 6 : 1);
        if (scorePoint(state, at, value, merged).score >= alert && i > (3 * day) / fiveMinutes) alerts += 1;
      }
      return alerts;
    };
    for (const seed of [1, 2, 3]) {
      expect(alertsAfterThreeDays(seed, {})).toBeLessThanOrEqual(5);
      expect(alertsAfterThreeDays(seed, { plainSpread: 0 })).toBeGreaterThanOrEqual(12);
    }
  });

  it("scores only from the past: a point's score does not depend on what follows", () => {
    const calm = run({ days: 12 });
    const spiked = run({ days: 12, departure: (i) => (i >= anomalyStart ? 50 : 0) });
    expect(spiked.slice(0, anomalyStart)).toEqual(calm.slice(0, anomalyStart));
  });

  it("keeps a state of fixed size that survives a JSON round trip mid-stream", () => {
    const points = syntheticSeries({ days: 12, departure: (i) => (i === anomalyStart ? 12 : 0) });
    const straight = createSeriesState();
    const restarted = createSeriesState();
    let carried = restarted;
    const sizes = new Set<number>();
    const half = points.length / 2;
    const straightScores = points.map(({ at, value }) => scorePoint(straight, at, value));
    const restartedScores = points.map(({ at, value }, i) => {
      if (i === half) carried = seriesStateSchema.parse(JSON.parse(JSON.stringify(carried)));
      if (i % 288 === 0)
        sizes.add(Object.keys(carried).length + carried.daily.length + carried.spread.length);
      return scorePoint(carried, at, value);
    });
    expect(restartedScores).toEqual(straightScores);
    expect(sizes.size).toBe(1);
    expect(start).toBeLessThan(points[0]!.at + 1);
  });

  // The same spike every 250 points (past each quiet period): news once, then the series' bursty normal.
  const repeatedSpikes = (i: number) => (i >= 3 * 288 && (i - 3 * 288) % 250 === 0 ? 9 : 0);
  const repeatedPoints = syntheticSeries({ days: 14, departure: repeatedSpikes });
  const spikeCount = repeatedPoints.filter((_, i) => repeatedSpikes(i) > 0).length;
  const alertsOnRepeated = (settings: Partial<typeof detectorSettings>) => {
    const state = createSeriesState();
    return repeatedPoints.filter(
      ({ at, value }) => scorePoint(state, at, value, { ...detectorSettings, ...settings }).score >= alert,
    ).length;
  };
  const unjudged = { noveltyDiscount: 0, alarmPenalty: 0, rangeBoost: 1 };

  it("alerts on a departure the series has never shown, and less on one it keeps showing", () => {
    // The novelty alone: a spike at the top of the daily swing is also beyond the range, which counts more.
    const unlimited = alertsOnRepeated(unjudged);
    const familiar = alertsOnRepeated({ rangeBoost: 1 });
    expect(unlimited).toBeGreaterThan(spikeCount * 0.8);
    expect(familiar).toBeGreaterThan(0);
    expect(familiar).toBeLessThan(unlimited / 2);
  });

  it("counts a familiar departure in full once it reaches beyond the series' range", () => {
    // The spike at 2,364 falls at the top of the daily swing, higher than any value before it; by then the
    // spikes' contexts are familiar. Later spikes within the range stay discounted.
    const scores = (settings: Partial<typeof detectorSettings>) => {
      const state = createSeriesState();
      const merged = { ...detectorSettings, ...settings };
      return repeatedPoints.map(({ at, value }) => scorePoint(state, at, value, merged).score);
    };
    const novel = scores({});
    expect(novel[2364]).toBeGreaterThanOrEqual(alert);
    expect(scores({ rangeNovel: false })[2364]).toBeLessThan(alert / 2);
    expect(Math.max(novel[3614]!, novel[3864]!)).toBeLessThan(alert / 2);
  });

  it("judges a new extreme by its departure, not against the series' usual tail", () => {
    // Deep dips on one point in ten make departures of 15 deviations usual (a heavy tail); a rise of 6 is a
    // new high. Against the tail it would count for a third; beyond the range it counts as it is. (Judged by
    // the scale alone: against the usual error of its hour, which the dips make 2.5 times the robust scale,
    // the rise is under 3 of those and does not alert; see the test of `plainSpread`.)
    const dips = (i: number) => (i >= 288 && (i * 7919) % 10 === 0 ? -(15 + ((i * 31) % 4)) : 0);
    const points = syntheticSeries({
      days: 12,
      amplitude: 0,
      departure: (i) => dips(i) + (i === 3001 ? 6 : 0),
    });
    const scoreAt = (settings: Partial<typeof detectorSettings>) => {
      const state = createSeriesState();
      const merged = { ...detectorSettings, ...settings };
      const scores = points.map(({ at, value }) => scorePoint(state, at, value, merged).score);
      expect(state.usualHigh).toBeGreaterThan(5);
      return scores[3001]!;
    };
    expect(scoreAt({ plainSpread: 0 })).toBeGreaterThanOrEqual(alert);
    expect(scoreAt({ plainSpread: 0, rangeUntailed: false })).toBeLessThan(alert);
    expect(scoreAt({})).toBeLessThan(alert);
  });

  it("rate-limits alarms when asked: a series that keeps alerting must depart further to alert again", () => {
    const unlimited = alertsOnRepeated(unjudged);
    const limited = alertsOnRepeated({ noveltyDiscount: 0, alarmPenalty: 1, rangeBoost: 1 });
    expect(limited).toBeGreaterThan(0);
    expect(limited).toBeLessThan(unlimited / 2);
  });

  it("alerts on a value beyond the series' range from a smaller departure than within it", () => {
    // A spike of 4.5 deviations at noon stays within the daily swing; the same at the day's peak is a new
    // high. Without the range neither alerts; with it only the new high does.
    const at = (hour: number) => 10 * 288 + hour * 12;
    const score = (i: number, settings: Partial<typeof detectorSettings>) => {
      const state = createSeriesState();
      const merged = { ...detectorSettings, ...settings };
      return syntheticSeries({ days: 11, departure: (j) => (j === i ? 4.5 : 0) }).map((point) =>
        scorePoint(state, point.at, point.value, merged),
      )[i]!.score;
    };
    expect(score(at(6), { rangeBoost: 1 })).toBeLessThan(alert);
    expect(score(at(6), {})).toBeGreaterThanOrEqual(alert);
    expect(score(at(12), {})).toBeLessThan(alert);
  });

  it("alerts on a steady climb at the first of its new highs, not at every one", () => {
    // No daily swing, and 0.01 noise deviations more every point: nearly every peak is a new high. A record
    // within a quiet period of the last one continues the climb.
    const alerts = (settings: Partial<typeof detectorSettings>) =>
      [1, 2, 3].map((seed) => {
        const state = createSeriesState();
        const merged = { ...detectorSettings, ...settings };
        return syntheticSeries({ days: 28, amplitude: 0, seed, departure: (i) => 0.01 * i }).filter(
          ({ at, value }, i) =>
            scorePoint(state, at, value, merged).score >= alert && i > (2 * day) / fiveMinutes,
        ).length;
      });
    expect(Math.max(...alerts({}))).toBeLessThanOrEqual(6);
    // Without the rule: 12 or more (25 or more before the hour's usual error, `plainSpread`, also judged
    // the climb's noise).
    expect(Math.min(...alerts({ rangeClimb: false }))).toBeGreaterThanOrEqual(12);
    expect(Math.min(...alerts({ rangeClimb: false, plainSpread: 0 }))).toBeGreaterThanOrEqual(20);
  });

  it("loads a state stored at version 4 (before the range): the range starts at its next point, judged a day later", () => {
    const points = syntheticSeries({ days: 4 });
    const unboosted = { ...detectorSettings, rangeBoost: 1 };
    const straight = createSeriesState();
    const straightScores = points.map(({ at, value }) => scorePoint(straight, at, value, unboosted));
    const state = createSeriesState();
    for (const { at, value } of points.slice(0, 400)) scorePoint(state, at, value);
    const { high, low, highOld, lowOld, rangeFrom, highAt, lowAt, ...before } = JSON.parse(
      JSON.stringify(state),
    ) as typeof state;
    expect(rangeFrom).toBe(1);
    // A state stored at version 5 (the range, before its record times) reads its last records at point 0.
    const atFive = seriesStateSchema.parse({ ...before, high, low, highOld, lowOld, rangeFrom, version: 5 });
    expect([atFive.version, atFive.high, atFive.highAt, atFive.lowAt]).toEqual([6, high, 0, 0]);
    const carried = seriesStateSchema.parse({ ...before, version: 4 });
    expect([carried.version, carried.rangeFrom]).toEqual([6, null]);
    const scores = points.slice(400).map(({ at, value }) => scorePoint(carried, at, value));
    expect(carried.rangeFrom).toBe(400);
    // The range learned afresh is narrow: for a day it is not judged, and the series scores as without it.
    expect(scores.slice(0, 289)).toEqual(straightScores.slice(400, 689));
  });

  it("loads a state stored at version 1 (before the alarm rate, the contexts, driftReported and the quantum), as a fresh series would be", () => {
    const points = syntheticSeries({ days: 12, departure: (i) => (i === anomalyStart ? 12 : 0) });
    const straight = createSeriesState();
    const straightScores = points.map(({ at, value }) => scorePoint(straight, at, value));
    let carried = createSeriesState();
    const restartedScores = points.map(({ at, value }, i) => {
      // Before warm-up ends no point can alert and no context is learned, so a state stored then has neither.
      if (i === detectorSettings.warmup - 1) {
        const { alarms, ctxHistory, ctxPoints, ctxSeen, ctxOld, driftReported, ...older } = JSON.parse(
          JSON.stringify(carried),
        ) as typeof carried;
        expect([alarms, ctxHistory, ctxPoints, driftReported]).toEqual([0, 0, 0, false]);
        // A state stored before the quantum reads none (learned again from the next change).
        const { quantum, ...beforeQuantum } = older;
        expect(quantum).toBeGreaterThan(0);
        expect(seriesStateSchema.parse({ ...beforeQuantum, version: 3 }).quantum).toBe(0);
        carried = seriesStateSchema.parse({ ...older, version: 1 });
        expect(carried.version).toBe(6);
      }
      return scorePoint(carried, at, value);
    });
    expect(carried.ctxPoints).toBeGreaterThan(0);
    expect(restartedScores).toEqual(straightScores);
  });
});
