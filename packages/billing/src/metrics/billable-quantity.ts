import { Dec } from "@meterplane/core";

export type Aggregation = "sum" | "max" | "avg" | "time_weighted" | "latest";

/** The rollup fields a billable quantity is computed from (decimal strings, as the database returns them). */
export interface RollupFigures {
  sum: string;
  max: string;
  last: string;
  lastAt: Date | string;
  integral: string;
  seconds: string;
}

/**
 * The quantity of a billable metric over some rollups, in billed units (the meter's unit divided by
 * `divisor`): `sum` of counter deltas; `time_weighted` integral of a gauge (e.g. byte-seconds → GB-hours
 * with divisor 1e9 × 3600); `max`; `avg` over the time covered; `latest` level.
 */
export function billableQuantity(
  rollups: RollupFigures[],
  aggregation: Aggregation,
  divisor: Dec | string | number = 1,
): Dec {
  const d = new Dec(divisor);
  if (!rollups.length) return new Dec(0);
  switch (aggregation) {
    case "sum":
      return total(rollups, (r) => r.sum).div(d);
    case "time_weighted":
      return total(rollups, (r) => r.integral).div(d);
    case "max":
      return Dec.max(...rollups.map((r) => r.max)).div(d);
    case "avg": {
      const seconds = total(rollups, (r) => r.seconds);
      return seconds.isZero()
        ? new Dec(0)
        : total(rollups, (r) => r.integral)
            .div(seconds)
            .div(d);
    }
    case "latest": {
      const latest = rollups.reduce((a, b) => (new Date(b.lastAt) > new Date(a.lastAt) ? b : a));
      return new Dec(latest.last).div(d);
    }
  }
}

function total(rollups: RollupFigures[], pick: (r: RollupFigures) => string): Dec {
  return rollups.reduce((acc, r) => acc.plus(pick(r)), new Dec(0));
}
