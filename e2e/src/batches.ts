/**
 * A batch's JSON as a collector posts it: one CPU series of one point, a minute ago; `series` overrides
 * (or breaks) fields of that series.
 */
export function aCpuBatch({
  environmentId,
  sequence = 1,
  value = "1.5",
  series = {},
}: {
  environmentId: string;
  sequence?: number;
  value?: string;
  series?: Record<string, unknown>;
}): string {
  return JSON.stringify({
    sequence,
    collectorVersion: "0.2.0",
    series: [
      {
        environmentId,
        meter: "cpu",
        starts: [new Date(Date.now() - 60_000).toISOString()],
        seconds: [10],
        values: [value],
        ...series,
      },
    ],
  });
}
