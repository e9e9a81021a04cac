import type { UsageRollup } from "@meterplane/exports";
import { meters } from "@meterplane/wire";
import { BarChart, Section } from "@/components/ui";

/**
 * One chart per environment and meter. Counters show what accrued in each bucket (the sum); gauges their
 * time-weighted average level (integral ÷ seconds). Chart heights are display only, so floats are fine here.
 */
export function UsageCharts({
  rollups,
  environments,
}: {
  rollups: UsageRollup[];
  environments: { id: string; name: string }[];
}) {
  const series = new Map<string, Map<string, number>>();
  for (const rollup of rollups) {
    const key = `${rollup.environmentId} ${rollup.meter}`;
    const gauge = meters[rollup.meter as keyof typeof meters]?.kind === "gauge";
    const value = gauge
      ? Number(rollup.integral) / Math.max(Number(rollup.seconds), 1e-9)
      : Number(rollup.sum);
    const points = series.get(key) ?? new Map<string, number>();
    points.set(rollup.bucketStart, (points.get(rollup.bucketStart) ?? 0) + value);
    series.set(key, points);
  }
  const nameOf = new Map(environments.map((e) => [e.id, e.name]));
  return (
    <>
      {[...series].map(([key, points]) => {
        const [environmentId = "", meter = ""] = key.split(" ");
        const unit = meters[meter as keyof typeof meters]?.unit ?? "";
        const label = `${nameOf.get(environmentId) ?? environmentId} · ${meter} (${unit})`;
        return (
          <Section key={key} title={label}>
            <BarChart label={label} points={[...points].map(([at, value]) => ({ at, value }))} />
          </Section>
        );
      })}
    </>
  );
}
