import { type MeterName, meters } from "@meterplane/wire";
import type { UsageGroupRow } from "../queries/get-usage.ts";
import type { UsageBucket } from "../queries/usage-range.ts";
import { bucketStarts } from "./bucket-starts.ts";
import { meterDisplay } from "./meter-units.ts";

export interface ChartSeries {
  /** What `getUsage` grouped by (a tenant or environment id, a dimension key, ""), or null for "other". */
  group: string | null;
  /** One value per bucket, in the meter's display unit; null where nothing was stored. */
  values: (number | null)[];
}

export interface MeterChart {
  meter: MeterName;
  title: string;
  unit: string;
  /** Counters show what accrued in each bucket; gauges their time-weighted level. */
  kind: "counter" | "gauge";
  series: ChartSeries[];
  /** Over the range: what a counter accrued, or a gauge's highest bucket level (summed over series). */
  figure: number | null;
}

export interface UsageCharts {
  bucket: UsageBucket;
  /** Bucket starts, epoch milliseconds: one x per bucket of the range, so a quiet bucket is a gap. */
  buckets: number[];
  charts: MeterChart[];
}

/**
 * Turns grouped rows (`getUsage` with `by`) into one chart per meter, in one pass over the rows: each row
 * lands in its bucket by index. Values become floats in the display unit here; they are for drawing, and
 * exact figures stay in the rollups.
 */
export function usageCharts({
  rows,
  from,
  to,
  bucket,
  meterNames,
}: {
  rows: UsageGroupRow[];
  from: Date;
  to: Date;
  bucket: UsageBucket;
  meterNames: readonly MeterName[];
}): UsageCharts {
  const buckets = bucketStarts(from, to, bucket);
  const index = new Map(buckets.map((at, i) => [at, i]));
  const charts = new Map<string, MeterChart>(
    meterNames.map((meter) => [
      meter,
      { meter, ...meterDisplay[meter], kind: meters[meter].kind, series: [], figure: null },
    ]),
  );
  const seriesOf = new Map<string, ChartSeries>();
  for (const row of rows) {
    const chart = charts.get(row.meter);
    const at = index.get(Date.parse(row.bucketStart));
    if (!chart || at === undefined) continue;
    const key = `${row.meter}\u0000${row.group}`;
    let series = seriesOf.get(key);
    if (!series) {
      series = { group: row.group, values: new Array<number | null>(buckets.length).fill(null) };
      seriesOf.set(key, series);
      chart.series.push(series);
    }
    series.values[at] =
      Number(chart.kind === "gauge" ? row.level : row.sum) / meterDisplay[chart.meter].divisor;
  }
  for (const chart of charts.values()) chart.figure = figureOf(chart);
  return { bucket, buckets, charts: [...charts.values()] };
}

function figureOf(chart: MeterChart): number | null {
  if (chart.series.length === 0) return null;
  const totals =
    chart.series[0]?.values.map((_, i) => chart.series.reduce((acc, s) => acc + (s.values[i] ?? 0), 0)) ?? [];
  return chart.kind === "counter" ? totals.reduce((a, b) => a + b, 0) : Math.max(...totals);
}
