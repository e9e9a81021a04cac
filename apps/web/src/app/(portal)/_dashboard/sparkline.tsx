import type { Dec } from "@meterplane/core";

/** A line of daily figures, scaled to its own peak: the shape of a trend, not its values (those sit beside it). */
export function Sparkline({ points, label }: { points: { value: Dec }[]; label: string }) {
  const width = 140;
  const height = 28;
  const values = points.map((p) => p.value.toNumber());
  const peak = Math.max(...values, 0);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const path = values
    .map(
      (v, i) =>
        `${(i * step).toFixed(1)},${(height - 2 - (peak ? (v / peak) * (height - 4) : 0)).toFixed(1)}`,
    )
    .join(" ");
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <polyline points={path} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
