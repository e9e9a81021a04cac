import { z } from "zod";
import { emptyNoveltyTable } from "./context-novelty.ts";

/** What a departure from the series' own normal looks like; `silence` is raised by `checkSilence`. */
export type AnomalyKind = "spike" | "level_shift" | "drift" | "flat_line" | "silence";

/** Buckets of the daily profile: every 30 minutes, read and learned by linear interpolation. */
export const dailyBuckets = 48;

/**
 * Everything the detector remembers about one series: a fixed set of numbers (two short arrays), so the
 * state is the same size after a day or a year, serialises as JSON and survives a worker restart.
 * Field names are short because one state is stored per series.
 */
/** The version states are stored at; older ones are brought up to it as they are read. */
const currentVersion = 6;

export const seriesStateSchema = z.object({
  /**
   * 2 since the context novelty, 3 since `driftReported`, 4 since `quantum`, 5 since the range, 6 since the
   * range's record times; a state stored at version 1 is read with empty context tables (its series relearns
   * what is familiar, judged as before meanwhile), one stored at 1 or 2 with no drift reported, one stored
   * before 4 with no quantum (learned again from the next change, no floor meanwhile), one stored before 5
   * with no range (learned from its next point, not judged until it has twice the warm-up's points and a
   * day), one stored at 5 with its last records at point 0, and each is stored back at 6.
   */
  version: z
    .union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6)])
    .transform(() => currentVersion),
  /** Points seen. */
  n: z.number().int().nonnegative(),
  /** Time (ms) and value of the last point. */
  lastAt: z.number(),
  last: z.number(),
  /** Expected interval between points (ms, EWMA) and its mean absolute deviation. */
  interval: z.number(),
  intervalDev: z.number(),
  /** Time (ms) the value last changed, and the longest time (ms) a value stayed unchanged (decaying). */
  changedAt: z.number(),
  /** Value changes seen (capped): a series that never changed cannot stop changing. */
  changes: z.number().int().nonnegative(),
  longestRun: z.number(),
  /** The smallest change between consecutive values seen, 0 before any: the step of the series' grid. */
  quantum: z.number().nonnegative().default(0),
  /**
   * Deseasonalised level, slow (about half a day) so it does not chase the daily cycle, and its slope
   * (damped Holt); `offset` is the fast correction on top of both that follows a change of level.
   */
  level: z.number(),
  slope: z.number(),
  offset: z.number(),
  /** The level over days, and the usual distance of the level from it (a drift strays further). */
  anchor: z.number(),
  anchorSpread: z.number(),
  /** A level of the raw values, to judge whether the seasonal model helps this series at all. */
  plain: z.number(),
  /** Seasonal offsets: time of day (dailyBuckets) and day of week (7). */
  daily: z.array(z.number()).length(dailyBuckets),
  /**
   * Mean absolute seasonal error by time of day: a change of level that happens at about the same time
   * every day (a nightly job) is not predicted to the minute, and must not alert every day either.
   */
  spread: z.array(z.number()).length(dailyBuckets),
  weekly: z.array(z.number()).length(7),
  /** Mean absolute one-step error with and without the seasonal model. */
  errSeasonal: z.number(),
  errPlain: z.number(),
  /** Robust location and scale of the residuals (running median, clipped mean absolute deviation). */
  center: z.number(),
  scale: z.number(),
  /** Short-term mean of the standardised residual, and two-sided CUSUM sums of it. */
  recent: z.number(),
  cusumUp: z.number(),
  cusumDown: z.number(),
  /** The series' 99th percentile of departures (in deviations): its own idea of rare. */
  usualHigh: z.number(),
  /** The same for the drift's sums; states stored before it existed start from 0, the floor. */
  usualDrift: z.number().default(0),
  /** The series' own rate of alerts per point (EWMA); states stored before it start from 0 (none). */
  alarms: z.number().default(0),
  /**
   * Context novelty (`context-novelty.ts`): the last three residual symbols (3 bits each), points in the
   * current generation, and the seen-context tables of the current and the previous generation (base64).
   */
  ctxHistory: z.number().int().nonnegative().default(0),
  ctxPoints: z.number().int().nonnegative().default(0),
  ctxSeen: z.string().default(emptyNoveltyTable),
  ctxOld: z.string().default(emptyNoveltyTable),
  /**
   * The last alert was a drift whose departure has not yet come back under the alert level: that drift is
   * still the same episode and does not alert again.
   */
  driftReported: z.boolean().default(false),
  /**
   * The series' range: highest and lowest value of the current novelty generation and of the previous one,
   * and the point count from which it was learned (null: not yet, a state stored before version 5).
   */
  high: z.number().default(0),
  low: z.number().default(0),
  highOld: z.number().default(0),
  lowOld: z.number().default(0),
  rangeFrom: z.number().int().nonnegative().nullable().default(null),
  /** The point counts of the last value above the range and of the last below it (its records). */
  highAt: z.number().int().nonnegative().default(0),
  lowAt: z.number().int().nonnegative().default(0),
  /** Points left in the quiet period after an alert, during which one episode does not alert again. */
  quiet: z.number().int().nonnegative(),
});

export type SeriesState = z.infer<typeof seriesStateSchema>;

/**
 * A stored state as the detector's. One stored at the current version is taken as stored: it was written
 * from a `SeriesState`, and a scan reads every series' state each time, where checking every field again
 * cost the worker more than scoring the point. An older one is brought up to date by the schema.
 */
export function readSeriesState(stored: unknown): SeriesState {
  return (stored as { version?: unknown } | null)?.version === currentVersion
    ? (stored as SeriesState)
    : seriesStateSchema.parse(stored);
}

export function createSeriesState(): SeriesState {
  return {
    version: currentVersion,
    n: 0,
    lastAt: 0,
    last: 0,
    interval: 0,
    intervalDev: 0,
    changedAt: 0,
    changes: 0,
    longestRun: 0,
    quantum: 0,
    level: 0,
    slope: 0,
    offset: 0,
    anchor: 0,
    anchorSpread: 0,
    plain: 0,
    daily: new Array<number>(dailyBuckets).fill(0),
    spread: new Array<number>(dailyBuckets).fill(0),
    weekly: new Array<number>(7).fill(0),
    errSeasonal: 0,
    errPlain: 0,
    center: 0,
    scale: 0,
    recent: 0,
    cusumUp: 0,
    cusumDown: 0,
    usualHigh: 0,
    usualDrift: 0,
    alarms: 0,
    ctxHistory: 0,
    ctxPoints: 0,
    ctxSeen: emptyNoveltyTable(),
    ctxOld: emptyNoveltyTable(),
    driftReported: false,
    high: 0,
    low: 0,
    highOld: 0,
    lowOld: 0,
    rangeFrom: null,
    highAt: 0,
    lowAt: 0,
    quiet: 0,
  };
}
