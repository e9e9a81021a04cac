/** A small server-rendered bar chart: one bar per bucket, heights relative to the largest value. */
export function BarChart({ points, label }: { points: { at: string; value: number }[]; label: string }) {
  const width = 480;
  const height = 120;
  const max = Math.max(...points.map((p) => p.value), 0);
  const barWidth = points.length ? width / points.length : width;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" height={height} role="img" aria-label={label}>
      {points.map((p, i) => {
        const h = max > 0 ? (p.value / max) * (height - 10) : 0;
        return (
          <rect
            key={p.at}
            x={i * barWidth + 1}
            y={height - h}
            width={Math.max(barWidth - 2, 1)}
            height={h}
            fill="#2563eb"
          >
            <title>{`${p.at}: ${p.value}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
