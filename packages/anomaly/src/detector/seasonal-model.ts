import type { DetectorSettings } from "./score-point.ts";
import { dailyBuckets, type SeriesState } from "./series-state.ts";

const day = 86_400_000;

/** Where `at` falls in the daily profile: the two neighbouring buckets and the weight of the second. */
function dailyPosition(at: number): [number, number, number] {
  const phase = (((at % day) + day) % day) * (dailyBuckets / day);
  const first = Math.floor(phase);
  return [first, (first + 1) % dailyBuckets, phase - first];
}

const dayOfWeek = (at: number) => ((Math.floor(at / day) % 7) + 7) % 7;

const interpolate = (profile: readonly number[], at: number) => {
  const [first, second, weight] = dailyPosition(at);
  return (profile[first] ?? 0) * (1 - weight) + (profile[second] ?? 0) * weight;
};

const mean = (values: readonly number[]) => {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
};

/**
 * The seasonal offset expected at `at`: the daily profile, interpolated, plus the day of week's, each
 * less its mean, so that a change of level (a drift, a shift) shows in the level, not in the profile.
 */
export function readSeason(state: SeriesState, at: number): number {
  return (
    interpolate(state.daily, at) - mean(state.daily) + (state.weekly[dayOfWeek(at)] ?? 0) - mean(state.weekly)
  );
}

/** The usual absolute seasonal error at this time of day. */
export const readSpread = (state: SeriesState, at: number) => interpolate(state.spread, at);

/**
 * Moves the profile toward `error` (the value less the level and the season as read). Rates are per day
 * a bucket is seen, converted to per point from the expected interval, so a series sampled every 10 s
 * learns its day as fast as one sampled every 5 minutes.
 */
export function advanceSeasonalModel(
  state: SeriesState,
  at: number,
  error: number,
  pointsPerBucket: number,
  settings: DetectorSettings,
) {
  if (!Number.isFinite(pointsPerBucket) || pointsPerBucket <= 0) return;
  const [first, second, weight] = dailyPosition(at);
  // The first days are averaged (rate 1/days seen), later ones weighted by the steady rate.
  const days = Math.max(1, state.n / (pointsPerBucket * dailyBuckets));
  const perPoint = (perDay: number) =>
    1 - (1 - Math.max(perDay, 1 / days)) ** (1 / Math.max(1, pointsPerBucket));
  const dailyRate = perPoint(settings.dailyRatePerDay);
  state.daily[first] = (state.daily[first] ?? 0) + dailyRate * (1 - weight) * error;
  state.daily[second] = (state.daily[second] ?? 0) + dailyRate * weight * error;
  const spreadError = Math.abs(error) - interpolate(state.spread, at);
  const spreadRate = perPoint(settings.spreadRatePerDay);
  state.spread[first] = (state.spread[first] ?? 0) + spreadRate * (1 - weight) * spreadError;
  state.spread[second] = (state.spread[second] ?? 0) + spreadRate * weight * spreadError;
  const weeklyRate =
    1 - (1 - settings.weeklyRatePerWeek) ** (1 / Math.max(1, pointsPerBucket * dailyBuckets));
  const dow = dayOfWeek(at);
  state.weekly[dow] = (state.weekly[dow] ?? 0) + weeklyRate * error;
}
