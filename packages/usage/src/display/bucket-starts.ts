import { bucketMs, type UsageBucket } from "../queries/usage-range.ts";

const dayMs = 86_400_000;

/** The start of the bucket holding `at`, as the SQL of `getUsage` computes it (UTC; weeks from Monday). */
export function bucketStartOf(at: number, bucket: UsageBucket): number {
  const date = new Date(at);
  if (bucket === "month") return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  // 1970-01-01 was a Thursday: three days past the Monday that starts its week.
  if (bucket === "week") return Math.floor((at + 3 * dayMs) / bucketMs.week) * bucketMs.week - 3 * dayMs;
  return Math.floor(at / bucketMs[bucket]) * bucketMs[bucket];
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucketStart(start: number, bucket: UsageBucket): number {
  if (bucket !== "month") return start + bucketMs[bucket];
  const date = new Date(start);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/** Every bucket that overlaps [from, to), oldest first, as epoch milliseconds. */
export function bucketStarts(from: Date, to: Date, bucket: UsageBucket): number[] {
  const starts: number[] = [];
  for (let at = bucketStartOf(from.getTime(), bucket); at < to.getTime(); at = nextBucketStart(at, bucket))
    starts.push(at);
  return starts;
}
