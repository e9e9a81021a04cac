export type BillingInterval = "monthly" | "yearly";

/** A half-open interval of time `[start, end)`, UTC. */
export interface Period {
  start: Date;
  end: Date;
}

const monthsPerInterval: Record<BillingInterval, number> = { monthly: 1, yearly: 12 };

/**
 * The n-th period boundary from the anchor: the anchor's day-of-month and UTC time of day, n intervals
 * later, with the day clamped to the month's last day. Each boundary is computed from the anchor, never
 * from the previous boundary, so Jan 31 → Feb 28 → Mar 31 (not Mar 28).
 */
export function periodBoundary(anchor: Date, interval: BillingInterval, n: number): Date {
  const month = anchor.getUTCMonth() + n * monthsPerInterval[interval];
  const firstOfMonth = new Date(Date.UTC(anchor.getUTCFullYear(), month, 1));
  const year = firstOfMonth.getUTCFullYear();
  const monthIndex = firstOfMonth.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
  const result = new Date(anchor.getTime());
  result.setUTCFullYear(year, monthIndex, Math.min(anchor.getUTCDate(), lastDay));
  return result;
}

/** The billing period of a subscription anchored at `anchor` that contains the instant `at`. */
export function billingPeriodContaining({
  anchor,
  interval,
  at,
}: {
  anchor: Date;
  interval: BillingInterval;
  at: Date;
}): Period {
  const monthsApart =
    (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + at.getUTCMonth() - anchor.getUTCMonth();
  let n = Math.floor(monthsApart / monthsPerInterval[interval]);
  // The month count is off by at most one period when the day or time of day is before the anchor's.
  while (periodBoundary(anchor, interval, n) > at) n -= 1;
  while (periodBoundary(anchor, interval, n + 1) <= at) n += 1;
  return { start: periodBoundary(anchor, interval, n), end: periodBoundary(anchor, interval, n + 1) };
}
