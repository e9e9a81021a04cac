import type { Database } from "@meterplane/db";
import {
  getUsage,
  nextBucketStart,
  type ResolvedUsageRange,
  resolveUsageRange,
  type UsageGrouping,
  usageCharts,
} from "@meterplane/usage";
import { type MeterName, meterNames } from "@meterplane/wire";
import { z } from "zod";
import { roundForDisplay } from "@/components/usage/format";
import type { UsageChartProps } from "@/components/usage/usage-chart";

export const usageSplits = ["total", "environment", "dimension", "tenant"] as const;
export type UsageSplit = (typeof usageSplits)[number];

const text = z.string().max(100).optional().catch(undefined);

/** A usage page's query: what the range presets and filter form send. Anything malformed falls back. */
export const usageQuery = z.object({
  range: text,
  from: text,
  to: text,
  meter: z
    .enum(meterNames as [MeterName, ...MeterName[]])
    .optional()
    .catch(undefined),
  by: z.enum(usageSplits).catch("total"),
  view: z.enum(["stacked", "lines"]).catch("stacked"),
  environment: z.uuid().optional().catch(undefined),
  tenant: text,
});
export type UsageQuery = z.infer<typeof usageQuery>;

const groupings: Record<UsageSplit, Exclude<UsageGrouping, "series">> = {
  total: "meter",
  environment: "environment",
  dimension: "dimension",
  tenant: "tenant",
};

/** Split series beyond this many per chart fold into "other": a chart over 1,000 tenants stays readable. */
const topGroups = 8;

export function usageRangeOf(query: UsageQuery, fallback: "24h" | "7d") {
  return resolveUsageRange(query, new Date(), fallback);
}

/**
 * The charts of a usage page: one `getUsage` read, grouped as the page asks, turned into one chart per
 * meter (every meter, or the one chosen) with series named by `labelOf`.
 */
export async function loadUsageCharts({
  db,
  tenantId,
  environmentId,
  query,
  range,
  labels,
}: {
  db: Database;
  tenantId: string | null;
  environmentId?: string;
  query: UsageQuery;
  range: ResolvedUsageRange;
  /** Names of the groups that made the charts (tenant or environment ids); a group without one shows as is. */
  labels: (groups: string[]) => Promise<Map<string, string>>;
}): Promise<UsageChartProps[]> {
  const rows = await getUsage({
    db,
    tenantId,
    environmentId,
    meter: query.meter,
    from: range.from,
    to: range.to,
    bucket: range.bucket,
    by: groupings[query.by],
    top: topGroups,
  });
  const { buckets, charts } = usageCharts({
    rows,
    ...range,
    meterNames: query.meter ? [query.meter] : meterNames,
  });
  const groups = new Set(charts.flatMap((c) => c.series.map((s) => s.group ?? "")));
  groups.delete("");
  const names = await labels([...groups]);
  return charts.map((chart) => ({
    meter: chart.meter,
    title: chart.title,
    unit: chart.unit,
    kind: chart.kind,
    bucket: range.bucket,
    buckets,
    end: nextBucketStart(buckets.at(-1) ?? range.from.getTime(), range.bucket),
    stacked: query.view === "stacked",
    figure: chart.figure === null ? null : roundForDisplay(chart.figure),
    series: chart.series.map((s) => ({
      label: s.group === null ? "other" : s.group === "" ? chart.title : (names.get(s.group) ?? s.group),
      values: s.values,
    })),
  }));
}
