import { contextNovelty, residualSymbol } from "./context-novelty.ts";
import { advanceSeasonalModel, readSeason, readSpread } from "./seasonal-model.ts";
import { type AnomalyKind, dailyBuckets, type SeriesState } from "./series-state.ts";

const day = 86_400_000;

/**
 * The detector's constants. Rates are per point unless named per day; every one is a fixed number of
 * operations, so scoring a point is O(1) in time and the state stays the same size.
 */
export const detectorSettings = {
  /** Points learned before any score above 0: the first residual scales are meaningless. */
  warmup: 64,
  /** Fast level correction and raw-level smoothing; the slow level's rate is per day. */
  levelRate: 0.02,
  baselineRatePerDay: 2,
  slopeRate: 0.002,
  slopeDamping: 0.95,
  /** Seasonal learning: the share of a bucket's error learned per day the bucket is seen. */
  dailyRatePerDay: 0.35,
  weeklyRatePerWeek: 0.2,
  spreadRatePerDay: 0.5,
  /** The seasonal model is used once it beats the plain level by this factor (one-step error). */
  seasonalGain: 0.85,
  /** The time-of-day spread never counts for less than this share of the overall scale. */
  spreadFloor: 0.5,
  /**
   * A series judged without its daily profile (the profile does not predict better than a plain level) still
   * has busy and quiet hours: its scale never counts for less than this share of the usual error at this time
   * of day (the `spread` above, learned either way), once a day has been seen. So a tweet volume's daytime
   * bursts, or a CPU's nightly job, are judged against that hour's usual error, not against the quiet hours'
   * robust scale; its quiet hours are judged as before. The spread is a mean of errors, bursts included, so
   * a heavy-tailed series is also judged less finely at every hour. At 1 a series of even noise is judged as
   * before (the spread and the scale are both mean absolute deviations); 0.75 raises the scale where the
   * hour's error is over 4/3 of the scale. A tuned constant, charged as one: 0.5 to 0.9 give a CV of 74.5 to
   * 76.9 (0.75 the best), 1 and 1.25 74.0 and 73.7, 0 (off) 74.3; charged for choosing among the nine 75.9
   * (DESIGN, "Anomalies").
   */
  plainSpread: 0.75,
  /** The residual's deviation never counts for less than this share of the series' own swing. */
  swingFloor: 0.05,
  /**
   * Nor for less than this share of the series' quantum (its smallest change seen): a series on a grid of
   * values (a count, a CloudWatch metric idling at its floor, a synthetic series flat between spikes) has
   * stretches with no noise at all, where the deviation collapses and a move of one step would read as
   * thousands of deviations. One step is at most 10 deviations: still an alert, but a bounded one. The CV
   * is the same for 0.05 to 0.2 (DESIGN, "Anomalies").
   */
  quantumFloor: 0.1,
  /**
   * A series on a grid of values is a count of quanta, and a count has at least Poisson noise (variance equal
   * to its mean): the deviation never counts for less than `countFloor` × sqrt(level × quantum). A series of
   * continuous values has a quantum near 0 and no such floor. 1 is Poisson's own constant, not tuned (the CV
   * is flat from 0.8 to 1.2; DESIGN, "Anomalies").
   */
  countFloor: 1,
  /** Residual statistics. */
  errorRate: 0.01,
  scaleRate: 0.01,
  clip: 4,
  /** Short-term mean of the standardised residual: a level shift keeps it away from 0. */
  recentRate: 0.25,
  /** CUSUM: slack per point, and the sum that counts as 5 standard deviations. */
  cusumSlack: 1,
  cusumAtFive: 40,
  /**
   * The anchor (a level over days, a time constant of about 3 days) and how far the level usually strays from
   * it. A tuned constant, charged as one in the CV bench's grid: 0.25 to 0.35 per day score the same, 0.5
   * (before) 0.9 less, mostly on the AWS files (DESIGN, "Anomalies").
   */
  anchorRatePerDay: 0.3,
  anchorSpreadRate: 0.002,
  /** The drift's scale never counts for less than this share of the residual's. */
  driftFloor: 0.5,
  /** A value unchanged for this many times its longest usual run is a flat line worth 5 deviations. */
  flatFactor: 3,
  /**
   * Anomaly likelihood: departures are judged against the series' own 99th percentile of departures
   * (learned at this rate), so a series whose normal has heavy tails alerts on what is rare for it.
   */
  usualHighRate: 0.003,
  usualHighQuantile: 0.99,
  usualHighFloor: 3,
  /** Deviation (in standard deviations) that scores 0.5. */
  halfScoreAt: 5,
  /**
   * After an alert the same episode is not alerted again for this many points: CAD OSE's rest period on a
   * NAB file of typical length (a fifth of its 15% probation, 3% of 4,000 points); but never for longer than
   * `quietMs`, a day: an episode is a matter of time, and 120 points of an hourly series are five days in
   * which a second anomaly would go unreported.
   */
  alertScore: 0.5,
  quietPoints: 120,
  quietMs: day,
  quietFactor: 0.5,
  /**
   * Rate-limited alarms: the series' own rate of alerts (EWMA per point at `alarmRate`) against one alert per
   * `alarmPoints` points; above it, departures are divided by 1 + `alarmPenalty` × the excess rate. Off (0)
   * since the context novelty does the same job better (DESIGN, "Cross-validated"); the CV bench's grid still
   * tries it, so the choice of 0 is charged there.
   */
  alarmRate: 0.0005,
  alarmPoints: 2000,
  alarmPenalty: 0,
  /**
   * Context novelty (`context-novelty.ts`): a spike's or shift's departure is multiplied by
   * 1 − `noveltyDiscount` × (1 − novelty), so a departure in a context the series has already shown (a tweet
   * volume's usual bursts) counts for less, and one in a context never seen counts in full. The contexts are
   * the residual's symbols (bands at `noveltyBands` deviations); tables forget after one to two
   * `noveltyGeneration`s of points.
   */
  noveltyDiscount: 1,
  noveltyGeneration: 8192,
  noveltyBands: [1, 2.5, 5] as readonly number[],
  /**
   * A value beyond every value of the series' range (the highest and lowest of the current and the previous
   * novelty generation) counts this many times its departure: a new extreme alerts from 2.5 deviations, not 5.
   * What the series has never reached is news even when the forecast's error is modest (a CPU that climbs
   * past anything it did before, a temperature that falls below every reading); NAB's CAD OSE and ARTime
   * see the same through the file's whole range, which a stream does not know. 1 turns it off (and the two
   * rules below with it). 2 to 2.5 score the same on the CV (DESIGN, "Anomalies"). Judged once
   * the range has twice the warm-up's points and a day, so a young series' growing range does not alert.
   */
  rangeBoost: 2,
  /**
   * A value beyond the range is also a context never seen: the context novelty's discount does not apply to
   * it (a series' usual bursts that now reach higher than ever count in full). CAD OSE's contexts are of
   * values quantised over the range, where a value beyond every earlier one is a new context by construction.
   */
  rangeNovel: true,
  /**
   * Nor is it judged against the series' tail (its 99th percentile of departures, the anomaly likelihood):
   * that tail is of the values inside the range, and a value beyond it is not one of them. So a bursty
   * series' record burst counts as its plain departure, not as one of its usual bursts.
   */
  rangeUntailed: true,
  /**
   * A record within one quiet period of the last record on the same side continues that climb and is not
   * beyond the range: a series that grows sets a new high at nearly every peak, and only the first of a climb
   * is news (a steadily growing series alerted at its new highs about once a day without it).
   */
  rangeClimb: true,
};

export type DetectorSettings = typeof detectorSettings;

export interface PointScore {
  /** In [0, 1]: 0 is the series' own normal, 1 is as far from it as can be. */
  score: number;
  /** The kind of departure that gave the score; null while the score is 0. */
  kind: AnomalyKind | null;
}

// A mean absolute deviation is 0.7979 standard deviations for normal noise.
const madToSd = 1.2533;
// The EWMA of independent N(0, 1) values has standard deviation sqrt(rate / (2 - rate)).
const recentSd = (rate: number) => Math.sqrt(rate / (2 - rate));

/**
 * Scores one point of a series and learns from it. Points must come in time order; the score uses only
 * the state before the point. Mutates `state` in place (the worker stores it back after each batch).
 */
export function scorePoint(
  state: SeriesState,
  at: number,
  value: number,
  settings: DetectorSettings = detectorSettings,
): PointScore {
  if (state.n === 0) {
    Object.assign(state, {
      n: 1,
      lastAt: at,
      last: value,
      changedAt: at,
      level: value,
      plain: value,
      anchor: value,
    });
    learnRange(state, value, settings);
    return { score: 0, kind: null };
  }
  const s = settings;
  learnInterval(state, at - state.lastAt);
  learnRuns(state, at, value);

  const season = readSeason(state, at);
  const forecast = state.level + state.slope + state.offset;
  const seasonalResidual = value - forecast - season;
  const plainResidual = value - state.plain;
  state.errSeasonal += s.errorRate * (Math.abs(seasonalResidual) - state.errSeasonal);
  state.errPlain += s.errorRate * (Math.abs(plainResidual) - state.errPlain);
  const pointsPerDay = state.interval > 0 ? day / state.interval : Number.POSITIVE_INFINITY;
  const seasonal = state.n > pointsPerDay && state.errSeasonal < s.seasonalGain * state.errPlain;
  const residual = seasonal ? seasonalResidual : plainResidual;

  const deviation = residual - state.center;
  const spread = seasonal
    ? Math.max(readSpread(state, at), s.spreadFloor * state.scale)
    : state.n > pointsPerDay
      ? Math.max(state.scale, s.plainSpread * readSpread(state, at))
      : state.scale;
  // A series without noise still has a smallest change worth an alert: a share of its own swing.
  const sd = Math.max(
    spread * madToSd,
    s.swingFloor * state.errPlain,
    s.quantumFloor * state.quantum,
    s.countFloor * Math.sqrt(Math.abs(state.level) * state.quantum),
    1e-9 * Math.max(1, Math.abs(state.level)),
  );
  const u = deviation / sd;
  // The short-term mean and the sums start when the scale is learned: during warm-up u is measured against
  // a scale still settling, and what they gathered would be read as a shift or a drift at the first warm point.
  const learned = state.n >= s.warmup;
  state.recent = learned ? state.recent + s.recentRate * (u - state.recent) : 0;
  // The sums take u clipped, as a robust CUSUM does: a series with frequent one-sided spikes (a busy CPU
  // bursting to 100%) would otherwise sum its spikes into a drift, alerting again after every quiet period.
  const clipped = Math.max(-s.clip, Math.min(s.clip, u));
  state.cusumUp = learned ? Math.max(0, state.cusumUp + clipped - s.cusumSlack) : 0;
  state.cusumDown = learned ? Math.max(0, state.cusumDown - clipped - s.cusumSlack) : 0;

  const warm = state.n >= s.warmup;
  // Contexts are learned from warm points only: during warm-up u is measured against a scale still settling.
  const novelty = learned ? contextNovelty(state, residualSymbol(u, s.noveltyBands), s) : 1;
  let result: PointScore = { score: 0, kind: null };
  let alerted = 0;
  if (warm) {
    const beyond = s.rangeBoost !== 1 && beyondRange(state, value, pointsPerDay, s);
    const familiar = beyond && s.rangeNovel ? 1 : 1 - s.noveltyDiscount * (1 - novelty);
    const [departure, kind] = strongest(state, at, Math.abs(u), sd, familiar, beyond, s);
    const z = departure / (1 + s.alarmPenalty * Math.max(0, state.alarms * s.alarmPoints - 1));
    result = {
      score: z > 0 ? (z * z) / (z * z + s.halfScoreAt * s.halfScoreAt) : 0,
      kind: z > 0 ? kind : null,
    };
    // A drift that has alerted is one episode however long it lasts: until its departure has come back under
    // the alert level it is scored as a quiet period is, else a level that stays off re-alerts at the end of
    // every quiet period.
    const reported = kind === "drift" && state.driftReported;
    if (state.quiet > 0 || reported) {
      state.quiet = Math.max(0, state.quiet - 1);
      result.score *= s.quietFactor;
    } else if (result.score >= s.alertScore) {
      alerted = 1;
      if (kind === "drift") state.driftReported = true;
      state.quiet = quietLength(state, s);
      state.cusumUp = 0;
      state.cusumDown = 0;
    }
  }

  state.alarms += s.alarmRate * (alerted - state.alarms);
  learnRange(state, value, s);
  // Learn, with residuals clipped once warm, so that one outlier moves the model by a bounded amount.
  const bound = warm ? s.clip * madToSd * Math.max(state.errSeasonal, state.scale) : Number.POSITIVE_INFINITY;
  const seasonalError = Math.min(bound, Math.max(-bound, seasonalResidual));
  const previousLevel = state.level;
  const baselineRate = Math.min(s.levelRate, s.baselineRatePerDay / pointsPerDay);
  const baselineError = Math.min(bound, Math.max(-bound, value - season - previousLevel - state.slope));
  state.level = previousLevel + state.slope + baselineRate * baselineError;
  state.slope = s.slopeDamping * state.slope + s.slopeRate * (state.level - previousLevel - state.slope);
  state.offset += s.levelRate * seasonalError;
  state.plain += s.levelRate * (value - state.plain);
  learnAnchor(state, pointsPerDay, warm, s);
  advanceSeasonalModel(state, at, baselineError, pointsPerDay / dailyBuckets, s);
  state.center += 0.01 * state.scale * Math.sign(deviation);
  const absolute = Math.abs(deviation);
  state.scale += warm
    ? s.scaleRate * (Math.min(absolute, s.clip * state.scale) - state.scale)
    : (absolute - state.scale) / state.n;
  state.n += 1;
  state.lastAt = at;
  state.last = value;
  return result;
}

/**
 * The largest departure among the kinds, in standard deviations, with its kind. A value `beyond` the series'
 * range counts `rangeBoost` times more, and a spike or shift there is not judged against the tail.
 */
function strongest(
  state: SeriesState,
  at: number,
  z: number,
  sd: number,
  familiar: number,
  beyond: boolean,
  s: DetectorSettings,
): [number, AnomalyKind] {
  const boost = beyond ? s.rangeBoost : 1;
  const shift = Math.abs(state.recent) / recentSd(s.recentRate);
  // The likelihood is read (and learns) either way.
  const tailed = likelihood(state, "usualHigh", Math.max(z, shift), s);
  const rare = boost * familiar * (beyond && s.rangeUntailed ? Math.max(z, shift) : tailed);
  let best: [number, AnomalyKind] = [rare, shift > z ? "level_shift" : "spike"];
  const departure = state.level + state.offset - state.anchor;
  const drift =
    boost *
    Math.max(
      // The sums of an autocorrelated series (a temperature) wander further than white noise's: judged
      // against the series' own 99th percentile of them, as spikes and shifts are.
      likelihood(state, "usualDrift", (5 * Math.max(state.cusumUp, state.cusumDown)) / s.cusumAtFive, s),
      state.n > 2 * s.warmup
        ? Math.abs(departure) / Math.max(madToSd * state.anchorSpread, s.driftFloor * sd)
        : 0,
    );
  if (drift < s.halfScoreAt) state.driftReported = false;
  if (drift > best[0]) best = [drift, "drift"];
  const usual = Math.max(s.flatFactor * state.longestRun, 4 * state.interval);
  // A value unchanged is never beyond the range: no boost.
  const flat = state.changes >= 8 && state.interval > 0 ? (5 * (at - state.changedAt)) / usual : 0;
  if (flat > best[0]) best = [flat, "flat_line"];
  return best;
}

/**
 * The departure relative to what is usual for this series: scaled down when the series' 99th percentile
 * of departures (kept in `field`) is above what normal noise gives. The percentile is a streaming
 * (stochastic-gradient) estimate: up by a step when exceeded, down by a 99th of it otherwise. A departure
 * that alerts is not learned: the percentile is of the series' normal, and learning its anomalies would
 * hide the next one.
 */
function likelihood(
  state: SeriesState,
  field: "usualHigh" | "usualDrift",
  z: number,
  s: DetectorSettings,
): number {
  const usual = Math.max(state[field], s.usualHighFloor);
  const rare = (z * s.usualHighFloor) / usual;
  if (rare >= s.halfScoreAt) return rare;
  const step = s.usualHighRate * usual;
  state[field] = Math.max(
    s.usualHighFloor,
    usual + (z > usual ? step * s.usualHighQuantile : -step * (1 - s.usualHighQuantile)),
  );
  return rare;
}

/** A level over days, and how far the current level usually is from it: drift is straying further. */
function learnAnchor(state: SeriesState, pointsPerDay: number, warm: boolean, s: DetectorSettings) {
  const current = state.level + state.offset;
  const departure = Math.abs(current - state.anchor);
  state.anchor += Math.min(s.levelRate, s.anchorRatePerDay / pointsPerDay) * (current - state.anchor);
  state.anchorSpread += warm
    ? s.anchorSpreadRate * (Math.min(departure, 1.5 * state.anchorSpread) - state.anchorSpread)
    : (departure - state.anchorSpread) / state.n;
}

/** Points in the quiet period after an alert: `quietPoints`, but never longer than `quietMs`. */
const quietLength = (state: SeriesState, s: DetectorSettings) =>
  state.interval > 0 ? Math.min(s.quietPoints, Math.round(s.quietMs / state.interval)) : s.quietPoints;

/**
 * Whether `value` is beyond the series' range, once the range has been learned long enough to judge: twice
 * the warm-up's points and a day (a young series has not yet been through its daily cycle), and not for a
 * record that continues a climb (`rangeClimb`).
 */
function beyondRange(state: SeriesState, value: number, pointsPerDay: number, s: DetectorSettings): boolean {
  const learned = state.n - (state.rangeFrom ?? state.n);
  if (learned <= 2 * s.warmup || learned <= pointsPerDay) return false;
  const climb = s.rangeClimb ? quietLength(state, s) : 0;
  if (value > Math.max(state.high, state.highOld)) return state.n - state.highAt > climb;
  if (value < Math.min(state.low, state.lowOld)) return state.n - state.lowAt > climb;
  return false;
}

/**
 * The highest and lowest value of the current generation and of the previous one: every `noveltyGeneration`
 * points the current becomes the previous, so the range forgets, as the context novelty does, what the
 * series stopped doing. A state stored before the range (version 4 or older) starts it at its next point.
 */
function learnRange(state: SeriesState, value: number, s: DetectorSettings) {
  if (state.rangeFrom === null) {
    state.rangeFrom = state.highAt = state.lowAt = state.n;
    state.high = state.low = state.highOld = state.lowOld = value;
    return;
  }
  if (value > Math.max(state.high, state.highOld)) state.highAt = state.n;
  if (value < Math.min(state.low, state.lowOld)) state.lowAt = state.n;
  if (state.n % s.noveltyGeneration === 0) {
    state.highOld = state.high;
    state.lowOld = state.low;
    state.high = state.low = value;
  }
  state.high = Math.max(state.high, value);
  state.low = Math.min(state.low, value);
}

function learnInterval(state: SeriesState, gap: number) {
  if (state.n === 1) {
    state.interval = gap;
    return;
  }
  state.interval += 0.05 * (gap - state.interval);
  state.intervalDev += 0.05 * (Math.abs(gap - state.interval) - state.intervalDev);
}

/**
 * How long values stay unchanged (a series that never repeats a value has runs of 0), and the smallest
 * change seen (the series' quantum).
 */
function learnRuns(state: SeriesState, at: number, value: number) {
  state.longestRun *= 1 - 1e-4;
  if (value === state.last) return;
  const change = Math.abs(value - state.last);
  state.quantum = state.quantum > 0 ? Math.min(state.quantum, change) : change;
  const run = state.lastAt - state.changedAt;
  state.longestRun = Math.max(state.longestRun, run);
  state.changedAt = at;
  state.changes = Math.min(state.changes + 1, 1_000_000);
}
