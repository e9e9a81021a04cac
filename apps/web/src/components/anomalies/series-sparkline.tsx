/**
 * The series around an anomaly as a plain SVG line, the anomaly's window shaded. (A stand-in until the
 * portal's shared chart component is on main.)
 */
export function SeriesSparkline({
  points,
  windowStart,
  windowEnd,
  width = 640,
  height = 140,
}: {
  points: { at: Date; value: number }[];
  windowStart: Date;
  windowEnd: Date;
  width?: number;
  height?: number;
}) {
  const times = [...points.map((p) => p.at.getTime()), windowStart.getTime(), windowEnd.getTime()];
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1);
  const values = points.map((p) => p.value);
  const v0 = Math.min(0, ...values);
  const v1 = Math.max(v0 + 1e-9, ...values);
  const x = (t: number) => ((t - t0) / (t1 - t0)) * width;
  const y = (v: number) => height - 4 - ((v - v0) / (v1 - v0)) * (height - 8);
  const line = points.map((p) => `${x(p.at.getTime()).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  const shadeX = x(windowStart.getTime());
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="the series, hour by hour, with the anomaly's window shaded"
      data-testid="anomaly-chart"
    >
      <rect
        data-testid="anomaly-window"
        x={shadeX}
        y={0}
        width={Math.max(2, x(windowEnd.getTime()) - shadeX)}
        height={height}
        fill="rgba(220, 38, 38, 0.2)"
      />
      <polyline points={line} fill="none" stroke="currentColor" strokeWidth={1.5} />
    </svg>
  );
}
