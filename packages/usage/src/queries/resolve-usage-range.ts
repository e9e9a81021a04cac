import { isAppError } from "@meterplane/core";
import { bucketForRange, checkUsageRange, type UsageBucket } from "./usage-range.ts";

export const usageRangePresets = ["24h", "7d", "30d", "period", "custom"] as const;
export type UsageRangePreset = (typeof usageRangePresets)[number];

export interface ResolvedUsageRange {
  preset: UsageRangePreset;
  from: Date;
  to: Date;
  bucket: UsageBucket;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const spans = { "24h": dayMs, "7d": 7 * dayMs, "30d": 30 * dayMs } as const;

/** A calendar day as a form's date input sends it, `YYYY-MM-DD`, only if that day exists. */
function dayOf(text: string | undefined, label: string): Date {
  const at = new Date(`${text}T00:00:00.000Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(text ?? "") ||
    Number.isNaN(at.getTime()) ||
    at.toISOString().slice(0, 10) !== text
  )
    throw new RangeError(`${label}: “${text ?? ""}” is not a date (YYYY-MM-DD)`);
  return at;
}

/**
 * The range a usage page shows, from its query: a preset ending with the current hour (24 h, 7 d, 30 d),
 * this calendar month, or custom days `from`..`to` (both inclusive). A `from`/`to` without a preset means
 * custom. The bucket grows with the range; a range no reader accepts comes back as a message to show.
 */
export function resolveUsageRange(
  query: { range?: string; from?: string; to?: string },
  now: Date,
  fallback: Exclude<UsageRangePreset, "custom">,
): ResolvedUsageRange | { error: string } {
  const named = usageRangePresets.find((p) => p === query.range);
  const preset = named ?? (query.from || query.to ? "custom" : fallback);
  let from: Date;
  let to: Date;
  if (preset === "custom") {
    try {
      to = query.to
        ? new Date(dayOf(query.to, "to").getTime() + dayMs)
        : new Date(Math.ceil(now.getTime() / dayMs) * dayMs);
      from = query.from ? dayOf(query.from, "from") : new Date(to.getTime() - 7 * dayMs);
    } catch (error) {
      if (error instanceof RangeError) return { error: error.message };
      throw error;
    }
  } else if (preset === "period") {
    from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  } else {
    to = new Date(Math.ceil(now.getTime() / hourMs) * hourMs);
    from = new Date(to.getTime() - spans[preset]);
  }
  const bucket = bucketForRange(from, to);
  try {
    checkUsageRange(from, to, bucket);
  } catch (error) {
    if (isAppError(error)) return { error: error.message };
    throw error;
  }
  return { preset, from, to, bucket };
}
