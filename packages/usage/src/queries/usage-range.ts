import { AppError } from "@meterplane/core";

/**
 * Bucket widths usage is read in. Hours and 6-hour spans fold hourly rollups; days, weeks (from Monday)
 * and months fold daily ones; all in UTC.
 */
export const usageBuckets = ["hour", "6 hours", "day", "week", "month"] as const;
export type UsageBucket = (typeof usageBuckets)[number];

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** A bucket's nominal width, for counting buckets (a month counts as 31 days, so counts err high). */
export const bucketMs: Record<UsageBucket, number> = {
  hour: hourMs,
  "6 hours": 6 * hourMs,
  day: dayMs,
  week: 7 * dayMs,
  month: 31 * dayMs,
};

/**
 * The widest range one request may read, per bucket: about 2,200 hours, 1,500 six-hour spans, five years of
 * days or weeks, ten years of months. A wider request is refused rather than read, so no page or API call
 * can make the web process build an unbounded response (an unbounded range once exhausted its heap).
 */
export const maxRangeDays: Record<UsageBucket, number> = {
  hour: 93,
  "6 hours": 370,
  day: 1_830,
  week: 1_830,
  month: 3_660,
};

/** The widest range any reader accepts (the chosen bucket then is `month`). */
export const widestRangeDays = maxRangeDays.month;

/** Charts aim for at most this many buckets: enough to see a day's shape in a week, few enough to draw. */
const chartBuckets = 200;

/** The finest bucket that keeps a chart of [from, to) within ~200 buckets: 24 h and 7 d by hour, 30 d by 6 hours. */
export function bucketForRange(from: Date, to: Date): UsageBucket {
  const span = to.getTime() - from.getTime();
  return usageBuckets.find((bucket) => span / bucketMs[bucket] <= chartBuckets) ?? "month";
}

/** A range as the readers take it: `from < to`, both real instants, no wider than the bucket allows. */
export function checkUsageRange(from: Date, to: Date, bucket: UsageBucket): void {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()))
    throw new AppError("VALIDATION_FAILED", "`from` and `to` must be dates");
  if (!(from < to)) throw new AppError("VALIDATION_FAILED", "`from` must be before `to`");
  if (to.getTime() - from.getTime() > maxRangeDays[bucket] * dayMs)
    throw new AppError(
      "VALIDATION_FAILED",
      `a range read by ${bucket} may span at most ${maxRangeDays[bucket]} days; choose a shorter range or a coarser granularity`,
    );
}
