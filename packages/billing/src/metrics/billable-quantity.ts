import { Dec } from "@meterplane/core";

export const aggregations = ["sum", "max", "avg", "time_weighted", "latest", "unique", "count"] as const;
export type Aggregation = (typeof aggregations)[number];

/**
 * One rollup (an hour or a day of one meter, environment and dimension set), decimals as strings.
 * Without `environmentId` and `dimensions` all rollups form one series; without `bucketStart` each rollup
 * is its own bucket. The invoice path always passes all three.
 */
export interface RollupFigures {
  environmentId?: string;
  dimensions?: Record<string, string>;
  bucketStart?: Date | string;
  sum: string;
  max: string;
  last: string;
  lastAt: Date | string;
  integral: string;
  seconds: string;
  /** Samples the rollup holds; rollups written before it was loaded count none. */
  count?: string;
}

export interface MetricDefinition {
  aggregation: Aggregation;
  /** The meter's quantity is divided by this to give the billed unit (bytes → GB: 1e9). */
  divisor?: Dec | string | number;
  /** Only rollups whose dimensions contain every one of these pairs count. */
  filter?: Record<string, string>;
  /** For `unique`: the dimension whose distinct values are counted; without it, environments are. */
  uniqueBy?: string;
}

/** Quantities are kept to 12 decimals, the scale of the invoice line's quantity column. */
const quantityDecimals = 12;

/**
 * The quantity of a billable metric over some rollups, in billed units. A series is one environment and
 * one dimension set; see the package README for each aggregation's definition and a worked example.
 * Pass rollups of one granularity only: hourly and daily rollups of the same time would count twice.
 */
export function billableQuantity(
  rollups: RollupFigures[],
  metric: MetricDefinition | Aggregation,
  divisor?: Dec | string | number,
): Dec {
  const definition = typeof metric === "string" ? { aggregation: metric, divisor } : metric;
  const matching = rollups.filter((r) => matchesFilter(r.dimensions ?? {}, definition.filter ?? {}));
  return aggregate(matching, definition)
    .div(definition.divisor ?? 1)
    .toDecimalPlaces(quantityDecimals, Dec.ROUND_HALF_UP);
}

export function matchesFilter(dimensions: Record<string, string>, filter: Record<string, string>): boolean {
  return Object.entries(filter).every(([key, value]) => dimensions[key] === value);
}

function aggregate(rollups: RollupFigures[], { aggregation, uniqueBy }: MetricDefinition): Dec {
  switch (aggregation) {
    case "sum":
      return total(rollups.map((r) => r.sum));
    case "time_weighted":
      return total(rollups.map((r) => r.integral));
    case "count":
      return total(rollups.map((r) => r.count ?? "0"));
    case "max":
      // Environments peak together or not; summing the peaks of one bucket bounds their joint peak.
      return [...groupBy(rollups, bucketKey).values()].reduce(
        (peak, bucket) => Dec.max(peak, total(bucket.map((r) => r.max))),
        new Dec(0),
      );
    case "avg":
      return [...groupBy(rollups, seriesKey).values()].reduce((acc, series) => {
        const seconds = total(series.map((r) => r.seconds));
        return seconds.isZero() ? acc : acc.plus(total(series.map((r) => r.integral)).div(seconds));
      }, new Dec(0));
    case "latest":
      return total([...groupBy(rollups, seriesKey).values()].map((series) => latestOf(series).last));
    case "unique": {
      const values = rollups.map((r) =>
        uniqueBy === undefined ? r.environmentId : r.dimensions?.[uniqueBy],
      );
      return new Dec(new Set(values.filter((v) => v !== undefined)).size);
    }
  }
}

/** The canonical `k=v,k=v` of a dimension set (keys sorted), as the rollup tables key it. */
export function dimensionKey(dimensions: Record<string, string>): string {
  return Object.keys(dimensions)
    .sort()
    .map((key) => `${key}=${dimensions[key]}`)
    .join(",");
}

function seriesKey(r: RollupFigures): string {
  return `${r.environmentId ?? ""}|${dimensionKey(r.dimensions ?? {})}`;
}

function bucketKey(r: RollupFigures, index: number): string {
  return r.bucketStart === undefined ? `#${index}` : String(new Date(r.bucketStart).getTime());
}

function latestOf(series: RollupFigures[]): RollupFigures {
  // Ties on lastAt are broken by the larger value, so the result does not depend on input order.
  return series.reduce((a, b) => {
    const diff = new Date(b.lastAt).getTime() - new Date(a.lastAt).getTime();
    return diff > 0 || (diff === 0 && new Dec(b.last).gt(a.last)) ? b : a;
  });
}

function total(values: string[]): Dec {
  return values.reduce((acc, v) => acc.plus(v), new Dec(0));
}

function groupBy<T>(items: T[], key: (item: T, index: number) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  items.forEach((item, index) => {
    const k = key(item, index);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  });
  return groups;
}
