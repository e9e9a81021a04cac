"use client";
import { useEffect, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./usage-chart.css";
import { axisValue, bucketRange, roundForDisplay } from "./format";

export interface UsageChartProps {
  meter: string;
  title: string;
  unit: string;
  kind: "counter" | "gauge";
  /** The bucket's name (hour, 6 hours, day, week, month), shown and used by tests. */
  bucket: string;
  /** Bucket starts, epoch ms, and the end of the last bucket. */
  buckets: number[];
  end: number;
  series: { label: string; values: (number | null)[] }[];
  stacked: boolean;
  /** The figure over the whole range, already rounded: a counter's total, a gauge's peak. */
  figure: string | null;
}

const palette = [
  "#2563eb",
  "#16a34a",
  "#ea580c",
  "#9333ea",
  "#0891b2",
  "#ca8a04",
  "#db2777",
  "#4b5563",
  "#94a3b8",
];
const height = 220;

// uPlot's tick label table: [smallest tick step (s), label, then what to add when the year, month, day,
// hour, minute or second changes, and 1 = add only on the first tick where it changed]. Day before month.
const hour = 3600;
const timeTicks: uPlot.Axis.Values = [
  [hour * 24 * 365, "{YYYY}", null, null, null, null, null, null, 1],
  [hour * 24 * 28, "{MMM}", "\n{YYYY}", null, null, null, null, null, 1],
  [hour * 24, "{D} {MMM}", "\n{YYYY}", null, null, null, null, null, 1],
  [hour, "{HH}:{mm}", "\n{D} {MMM} {YYYY}", null, "\n{D} {MMM}", null, null, null, 1],
  [60, "{HH}:{mm}", "\n{D} {MMM} {YYYY}", null, "\n{D} {MMM}", null, null, null, 1],
];

/** Each series stacked on those before it: the line drawn for series i is the sum of series 0..i. */
function stack(series: UsageChartProps["series"]): (number | null)[][] {
  let below: (number | null)[] = [];
  return series.map(({ values }) => {
    below = values.map((v, i) => (v === null && below[i] == null ? null : (below[i] ?? 0) + (v ?? 0)));
    return below;
  });
}

/**
 * Indices of the values drawn alone (no value in the bucket before or after): a step needs a neighbour to
 * be drawn, so these are shown as points, or a bucket of usage between empty ones would not show at all.
 */
const lonelyValues: uPlot.Series.Points.Filter = (u, seriesIdx) => {
  const values = u.data[seriesIdx] ?? [];
  const lonely: number[] = [];
  for (let i = 0; i < values.length; i++)
    if (values[i] != null && values[i - 1] == null && values[i + 1] == null) lonely.push(i);
  return lonely;
};

function options(
  props: UsageChartProps,
  width: number,
  onHover: (idx: number | null) => void,
): uPlot.Options {
  const { series, stacked } = props;
  // Stacked: the top sum is drawn first and filled to zero, each lower sum over it, so bands read as layers.
  const order = stacked ? series.map((_, i) => series.length - 1 - i) : series.map((_, i) => i);
  return {
    width,
    height,
    legend: { show: false },
    cursor: { y: false, points: { size: 6 } },
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1] } },
    axes: [
      {
        stroke: "#6b7280",
        grid: { stroke: "#eef0f3" },
        ticks: { stroke: "#e5e7eb" },
        values: timeTicks,
      },
      {
        stroke: "#6b7280",
        grid: { stroke: "#eef0f3" },
        ticks: { stroke: "#e5e7eb" },
        size: 56,
        values: (_u, ticks) => ticks.map(axisValue),
      },
    ],
    series: [
      {},
      ...order.map((i) => ({
        label: series[i]?.label,
        stroke: palette[i % palette.length],
        width: 1.5,
        fill: stacked ? `${palette[i % palette.length]}cc` : undefined,
        paths: uPlot.paths.stepped?.({ align: 1 }),
        points: { show: true, size: 5, fill: palette[i % palette.length], filter: lonelyValues },
      })),
    ],
    // The point at `end` only closes the last step: hovering it is hovering the last bucket.
    hooks: {
      setCursor: [
        (u) => onHover(u.cursor.idx == null ? null : Math.min(u.cursor.idx, props.buckets.length - 1)),
      ],
    },
  };
}

/**
 * One meter's usage over time, drawn with uPlot (canvas): a time axis in UTC, a value axis in the meter's
 * unit, one step per bucket, and a hover that names the bucket's range and its rounded value(s).
 */
/** What a gauge's point is, in the words of `getUsage`'s level. */
const gaugeLevelHint =
  "The time-weighted average in use over the bucket, all series together: what they held × seconds, " +
  "over the bucket's seconds (so far, for the bucket still running); a series absent for part of a bucket " +
  "counts zero for that part.";

export function UsageChart(props: UsageChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const [hovered, setHovered] = useState<number | null>(null);
  const empty = props.series.length === 0;

  useEffect(() => {
    const element = host.current;
    if (!element || empty) return;
    // Each value holds from its bucket's start to the next one's (a step); the last bucket's step ends at
    // `end`, so that point repeats the last values, or the latest bucket would be drawn with no width.
    const xs = [...props.buckets, props.end].map((at) => at / 1000);
    const drawn = (props.stacked ? stack(props.series) : props.series.map((s) => s.values)).map((values) => [
      ...values,
      values.at(-1) ?? null,
    ]);
    const ordered = props.stacked ? [...drawn].reverse() : drawn;
    const plot = new uPlot(
      options(props, element.clientWidth, setHovered),
      [xs, ...ordered] as uPlot.AlignedData,
      element,
    );
    setReady(true);
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props, empty]);

  const start = hovered === null ? undefined : props.buckets[hovered];
  const total = hovered === null ? 0 : props.series.reduce((acc, s) => acc + (s.values[hovered] ?? 0), 0);
  return (
    <figure
      className="usage-chart"
      data-testid="usage-chart"
      data-meter={props.meter}
      data-bucket={props.bucket}
      data-state={empty ? "empty" : ready ? "ready" : "loading"}
    >
      <figcaption>
        <span className="usage-chart-title">{props.title}</span>
        <span className="usage-chart-figure">
          {props.figure === null
            ? ""
            : `${props.kind === "counter" ? "total" : "peak"} ${props.figure} ${props.unit}`}
        </span>
      </figcaption>
      {empty ? (
        <p className="usage-chart-empty">No {props.title.toLowerCase()} usage in this range.</p>
      ) : (
        <>
          <div
            className="usage-chart-axis-y"
            data-testid="axis-unit"
            title={props.kind === "counter" ? undefined : gaugeLevelHint}
          >
            {props.unit}{" "}
            {props.kind === "counter" ? `per ${props.bucket}` : `in use, average over each ${props.bucket}`}
          </div>
          <div className="usage-chart-plot" ref={host}>
            {ready ? null : <div className="usage-chart-loading">Loading chart…</div>}
          </div>
          <div className="usage-chart-axis-x" data-testid="axis-time">
            time (UTC), one step per {props.bucket}
          </div>
          {props.series.length > 1 ? (
            <ul className="usage-chart-legend">
              {props.series.map((s, i) => (
                <li key={s.label}>
                  <span className="swatch" style={{ background: palette[i % palette.length] }} />
                  {s.label}
                </li>
              ))}
            </ul>
          ) : null}
          <div className="usage-chart-tooltip" data-testid="chart-tooltip" hidden={start === undefined}>
            {start === undefined || hovered === null ? null : (
              <>
                <div className="usage-chart-range">
                  {bucketRange(start, props.buckets[hovered + 1] ?? props.end)}
                </div>
                {props.series.map((s) => (
                  <div key={s.label}>
                    {props.series.length > 1 ? `${s.label}: ` : ""}
                    <strong>
                      {s.values[hovered] === null
                        ? "no data"
                        : `${roundForDisplay(s.values[hovered] ?? 0)} ${props.unit}`}
                    </strong>
                  </div>
                ))}
                {props.series.length > 1 && props.stacked ? (
                  <div>
                    total: <strong>{`${roundForDisplay(total)} ${props.unit}`}</strong>
                  </div>
                ) : null}
              </>
            )}
          </div>
        </>
      )}
    </figure>
  );
}
