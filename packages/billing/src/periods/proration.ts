import { AppError, Dec } from "@meterplane/core";
import type { Period } from "./billing-period.ts";

/** When a subscription is active: `[startAt, endAt)`, open-ended while `endAt` is null. */
export interface SubscriptionWindow {
  startAt: Date;
  endAt?: Date | null;
}

export interface Coverage {
  /** The part of the period the subscription was active in. */
  covered: Period;
  /** covered length / period length, exact: flat fees and minimums are multiplied by it. */
  fraction: Dec;
}

/**
 * How much of a period a subscription covers, measured in (milli)seconds rather than days, so a
 * subscription starting at 18:00 pays for the 6 hours of its first day it had, not for a whole day.
 */
export function coverage(period: Period, window: SubscriptionWindow): Coverage {
  const start = new Date(Math.max(period.start.getTime(), window.startAt.getTime()));
  const end = new Date(Math.min(period.end.getTime(), window.endAt?.getTime() ?? Number.POSITIVE_INFINITY));
  if (end <= start) throw new AppError("VALIDATION_FAILED", "the subscription is not active in this period");
  const fraction = new Dec(end.getTime() - start.getTime()).div(
    period.end.getTime() - period.start.getTime(),
  );
  return { covered: { start, end }, fraction };
}
