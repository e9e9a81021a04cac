import type { PointScore } from "../detector/score-point.ts";
import type { SeriesState } from "../detector/series-state.ts";

export const silenceSettings = {
  /** Silent once this many expected intervals (plus four deviations of the interval) pass with no point. */
  intervals: 3,
  /** Points needed before the interval is trusted. */
  minPoints: 8,
};

/**
 * Whether a series (or a host's or an environment's heartbeat, kept as a series of its own) has gone
 * silent at `now`: judged from its own expected interval, not a fixed time, so a series reported every
 * 10 s is silent after about 30 s and one reported hourly after about 3 hours. The score is 0.5 at the
 * limit and grows as the silence lasts.
 */
export function checkSilence(state: SeriesState, now: number, settings = silenceSettings): PointScore {
  if (state.n < settings.minPoints || state.interval <= 0) return { score: 0, kind: null };
  const allowed = settings.intervals * state.interval + 4 * state.intervalDev;
  const overdue = (now - state.lastAt) / allowed;
  if (overdue < 1) return { score: 0, kind: null };
  return { score: (overdue * overdue) / (overdue * overdue + 1), kind: "silence" };
}

/** When `checkSilence` will first report the series silent if no point comes. */
export function silentAfter(state: SeriesState, settings = silenceSettings): number {
  return state.lastAt + settings.intervals * state.interval + 4 * state.intervalDev;
}
