import type { ResolvedUsageRange } from "@meterplane/usage";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/ui";
import { UsageChart, type UsageChartProps } from "./usage-chart";

const stamp = (at: Date) => at.toISOString().slice(0, 16).replace("T", " ");

/** A usage page's body: why there is nothing to show, or the range in words and one chart per meter. */
export function UsagePanel({
  range,
  charts,
  caption,
  emptyHint,
}: {
  range: ResolvedUsageRange | { error: string };
  charts: UsageChartProps[];
  caption?: string;
  emptyHint: ReactNode;
}) {
  if ("error" in range)
    return (
      <p className="error" role="alert">
        {range.error}
      </p>
    );
  return (
    <>
      <p className="muted" data-testid="usage-range">
        {caption ? `${caption} · ` : ""}
        {stamp(range.from)} to {stamp(range.to)} UTC · per {range.bucket}
      </p>
      {charts.every((c) => c.series.length === 0) ? (
        <EmptyState title="No usage in this range">{emptyHint}</EmptyState>
      ) : null}
      <div className="usage-grid" data-testid="usage-charts">
        {charts.map((chart) => (
          <UsageChart key={chart.meter} {...chart} />
        ))}
      </div>
    </>
  );
}
